package io.secrettrail.generator;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/** Shared, precomputed text used while writing records: times and TLS details. */
final class RecordText {
    final TimeText time = new TimeText();
    private final Map<String, String> hosts = new HashMap<>();

    String eventTime(long t) {
        return time.eventTime(t);
    }

    /** Session creation a little before the call, as STS sessions are reused for a while. */
    String sessionCreation(long t) {
        return time.eventTime(t - Math.floorMod(t, 3600L));
    }

    void writeTls(JsonGenerator g, String service, String region, int variant) throws IOException {
        Keys.object(g, Keys.TLS_DETAILS);
        if (variant == 0) {
            Keys.str(g, Keys.TLS_VERSION, "TLSv1.2");
            Keys.str(g, Keys.CIPHER_SUITE, "ECDHE-RSA-AES128-GCM-SHA256");
        } else {
            Keys.str(g, Keys.TLS_VERSION, "TLSv1.3");
            Keys.str(g, Keys.CIPHER_SUITE, "TLS_AES_128_GCM_SHA256");
        }
        Keys.str(
                g,
                Keys.CLIENT_PROVIDED_HOST_HEADER,
                hosts.computeIfAbsent(service + "|" + region, k -> service + "." + region + ".amazonaws.com"));
        g.writeEndObject();
    }
}
