package io.secrettrail.analytics.store;

import java.sql.SQLException;

/**
 * A database the schema migrations refuse to touch, or a migration that failed (and was rolled back). The
 * message names the file, the versions involved and what to do; the database is left as it was.
 */
public final class MigrationException extends SQLException {
    private static final long serialVersionUID = 1L;

    public MigrationException(String message) {
        super(message);
    }

    public MigrationException(String message, Throwable cause) {
        super(message, cause);
    }
}
