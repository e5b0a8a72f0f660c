package io.secrettrail.ingest.aws;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The marker every AWS call SecretTrail makes appends to its user agent, {@code secrettrail/<version>}, so that
 * the trail entries of its own calls (inventory, LookupEvents, S3 reads, Cost Explorer) can be told apart.
 * Analytics recognises it through the caller-kind rule of the same name; a user agent proves nothing by itself
 * (any caller may send it), so only calls that also come from a principal in {@code self.principals} are left
 * out of counts and detections there.
 */
public final class UserAgent {
    /** The product name of the marker, as the caller-kind rules match it. */
    private static final String PRODUCT = "secrettrail";

    private static final String MARKER = PRODUCT + "/" + version();

    private UserAgent() {}

    /** {@code secrettrail/<version>}, e.g. {@code secrettrail/0.1.0}. */
    public static String marker() {
        return MARKER;
    }

    private static String version() {
        Properties p = new Properties();
        try (InputStream in = UserAgent.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the version of SecretTrail", e);
        }
        String v = p.getProperty("version", "");
        // unfiltered (an IDE build that skipped resource filtering): still a marker, with no number in it
        return v.isBlank() || v.contains("${") ? "dev" : v.strip();
    }
}
