package io.secrettrail.core.event;

/**
 * A record that could not be read: where it is, which field, and why. Goes to the dead-letter
 * topic; never fails the run.
 *
 * @param source the file (or other source) the record came from
 * @param recordIndex 1-based position of the record in its source
 * @param field dotted path of the offending field, or null when the record itself is unreadable
 * @param error what is wrong, in a sentence
 * @param raw the record as far as it could be read (secret values dropped, size capped); may be empty
 */
public record Rejection(String source, long recordIndex, String field, String error, byte[] raw) {
    public String message() {
        // File and field names are written by whoever can write the trail: escaped, so a log line cannot be forged.
        return EventParser.escape(source) + ", record " + recordIndex
                + (field == null ? "" : ", field " + EventParser.escape(field)) + ": " + EventParser.escape(error);
    }
}
