package io.secrettrail.core;

import java.io.IOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/** Waiting for work done on another thread, its failure thrown as the work threw it. */
public final class Futures {
    private Futures() {}

    /**
     * The result of {@code f}; an {@link IOException} or unchecked exception of the work is thrown as
     * is, anything else wrapped in an {@link IllegalStateException}.
     */
    public static <T> T join(Future<T> f) throws IOException, InterruptedException {
        try {
            return f.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(cause);
        }
    }
}
