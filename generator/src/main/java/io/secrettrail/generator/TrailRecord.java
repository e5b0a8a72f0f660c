package io.secrettrail.generator;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;

/** One CloudTrail record waiting for delivery; it writes itself as one element of "Records". */
interface TrailRecord {
    long time();

    /** The account/region whose trail receives it (the recipient account). */
    int accountRegion();

    boolean secretsManager();

    void write(JsonGenerator g, RecordText text) throws IOException;
}
