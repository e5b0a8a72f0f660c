package io.secrettrail.core.event;

/** A record field is missing or has the wrong type; carries the dotted field path. */
public final class FieldException extends Exception {
    private final String field;

    public FieldException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
