package io.secrettrail.web;

/** An HTTP failure with its status and a stable code; {@link Errors} writes it in the one error shape. */
final class HttpError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int status;
    final String code;

    HttpError(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }
}
