package io.secrettrail.ingest.aws;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** How CloudTrail lays out its keys in S3: {@code ROOT/ACCOUNT/CloudTrail/REGION/YYYY/MM/DD/file}. */
final class TrailKeys {
    private static final Pattern DAY = Pattern.compile("/(\\d{4})/(\\d{2})/(\\d{2})/[^/]+$");
    private static final DateTimeFormatter PATH_DAY = DateTimeFormatter.ofPattern("yyyy/MM/dd");

    private TrailKeys() {}

    /** The prefix of one account and region's files ({@code ar} is {@code ACCOUNT/REGION}). */
    static String prefix(String logsRoot, String ar) {
        return logsRoot + ar.replace("/", "/CloudTrail/") + "/";
    }

    /** The folder of one day under an account and region's prefix, to list after. */
    static String dayFolder(String prefix, LocalDate day) {
        return prefix + PATH_DAY.format(day) + "/";
    }

    /** Whether the key names a trail file (digest and Insights files are not under {@code /CloudTrail/}). */
    static boolean isTrailFile(String key) {
        return key.endsWith(".json.gz") || key.endsWith(".json");
    }

    /** {@code ACCOUNT/REGION} of a key under the logs root ({@code ROOT/ACCOUNT/CloudTrail/REGION/...}), or "" if not. */
    static String accountRegion(String logsRoot, String key) {
        if (!key.startsWith(logsRoot)) {
            return "";
        }
        String[] p = key.substring(logsRoot.length()).split("/", 4);
        return p.length == 4 ? p[0] + "/" + p[2] : "";
    }

    /** The UTC day in a CloudTrail key's path, or null (no such path, or not a date: 2026/11/31). */
    static LocalDate day(String key) {
        Matcher m = DAY.matcher(key);
        if (!m.find()) {
            return null;
        }
        try {
            return LocalDate.of(
                    Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
        } catch (DateTimeException e) {
            return null;
        }
    }
}
