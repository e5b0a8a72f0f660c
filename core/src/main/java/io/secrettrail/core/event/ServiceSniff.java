package io.secrettrail.core.event;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which service a record that could not be read names, from its bytes alone: a rejected record may
 * be anything (broken JSON, a truncated gzip), so nothing is parsed. Hiding a Secrets Manager
 * call by malforming its record is an evasion; knowing that the rejected record was one is what
 * lets the rejection count as a signal.
 */
public final class ServiceSniff {
    private ServiceSniff() {}

    private static final Pattern EVENT_SOURCE = Pattern.compile("\"eventSource\"\\s*:\\s*\"([^\"\\\\]{1,128})\"");
    /** Enough of a record to find its eventSource, wherever CloudTrail puts it. */
    private static final int SCAN_BYTES = 64 * 1024;

    /**
     * @return TRUE when the first {@code eventSource} in the bytes is secretsmanager.amazonaws.com,
     *         FALSE when it is another service, null when there is none (or no bytes)
     */
    public static Boolean secretsManager(byte[] raw) {
        if (raw == null || raw.length == 0) {
            return null;
        }
        String text = new String(raw, 0, Math.min(raw.length, SCAN_BYTES), StandardCharsets.UTF_8);
        Matcher m = EVENT_SOURCE.matcher(text);
        if (!m.find()) {
            return null;
        }
        return m.group(1).equals("secretsmanager.amazonaws.com");
    }
}
