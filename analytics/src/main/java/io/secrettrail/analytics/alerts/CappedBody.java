package io.secrettrail.analytics.alerts;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Keeps the first {@code cap} bytes of a body and then stops reading (the subscription is
 * cancelled, which closes the connection), so no answer is ever buffered whole.
 */
final class CappedBody implements HttpResponse.BodySubscriber<String> {
    private final int cap;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final CompletableFuture<String> body = new CompletableFuture<>();
    private Flow.Subscription subscription;

    CappedBody(int cap) {
        this.cap = cap;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        if (cap == 0) {
            s.cancel();
            body.complete("");
        } else {
            s.request(1);
        }
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
        boolean full;
        synchronized (this) {
            for (ByteBuffer b : items) {
                int n = Math.min(b.remaining(), cap - bytes.size());
                byte[] chunk = new byte[n];
                b.get(chunk);
                bytes.write(chunk, 0, n);
            }
            full = bytes.size() >= cap;
        }
        if (full) {
            subscription.cancel();
            body.complete(soFar());
        } else {
            subscription.request(1);
        }
    }

    @Override
    public void onError(Throwable t) {
        body.complete(soFar()); // the status is what counts; the body only explains it
    }

    @Override
    public void onComplete() {
        body.complete(soFar());
    }

    @Override
    public CompletionStage<String> getBody() {
        return body;
    }

    synchronized String soFar() {
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
