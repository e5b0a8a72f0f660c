package io.secrettrail.core.event;

/**
 * The source a rejected record's file belongs to, as a metric label and the unit the rejection
 * rule counts: an S3 object's bucket ({@code s3://bucket}), a LookupEvents page's source name (what
 * precedes {@code @}), a file's top directory as ingest names it ({@code trail/…} → {@code trail}),
 * a dead letter of analytics' own its topic. File names are chosen by whoever writes the trail;
 * the label keeps only the part the operator chose, so their number stays small.
 */
public final class RejectionSource {
    private RejectionSource() {}

    public static String of(String file) {
        if (file == null || file.isEmpty()) {
            return "unknown";
        }
        if (file.startsWith("s3://")) {
            int slash = file.indexOf('/', 5);
            return slash < 0 ? file : file.substring(0, slash);
        }
        int at = file.indexOf('@');
        if (at > 0 && file.indexOf('/') < 0 || at > 0 && file.indexOf('/') > at) {
            return file.substring(0, at);
        }
        int slash = file.indexOf('/');
        int back = file.indexOf('\\');
        int cut = slash < 0 ? back : back < 0 ? slash : Math.min(slash, back);
        return cut <= 0 ? file : file.substring(0, cut);
    }
}
