package io.secrettrail.analytics.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.ProtocolException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Sends one message to one webhook over HTTP and reads the answer: the body in the webhook's format
 * (generic JSON or {@link Ocsf} JSON lines, signed; or a {@link Slack} message), redirects never followed, and one total
 * deadline per attempt (connecting, the answer and what is read of its body, together). Knows
 * nothing of the outbox: what to send and what the answer means for the delivery is the
 * {@link Deliverer}'s.
 */
public final class Sender {
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration READ_TIMEOUT = Duration.ofSeconds(10);
    /** One attempt, from connecting to the last byte read of the answer. */
    public static final Duration DEADLINE = Duration.ofSeconds(20);
    /** What is read of an answer's body at most (it only explains a refusal). */
    public static final int MAX_BODY_BYTES = 64 * 1024;
    /** What of a refusal's body goes into the delivery log. */
    static final int SHOWN_BODY_CHARS = 300;

    private final Duration deadline;
    private final String publicUrl;
    private final HttpClient http;

    /**
     * @param deadline the total time one attempt may take, answer and body included
     * @param publicUrl the dashboard's address, for links in Slack messages
     */
    public Sender(Duration deadline, String publicUrl) {
        if (deadline.isNegative() || deadline.isZero()) {
            throw new IllegalArgumentException("deadline must be positive, was " + deadline);
        }
        this.deadline = deadline;
        this.publicUrl = publicUrl;
        Duration connect = deadline.compareTo(CONNECT_TIMEOUT) < 0 ? deadline : CONNECT_TIMEOUT;
        this.http = HttpClient.newBuilder()
                .connectTimeout(connect)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** The total time one attempt may take. */
    public Duration deadline() {
        return deadline;
    }

    /**
     * What a receiver answered, read within the deadline.
     *
     * @param status 0 when no answer came
     * @param error null for a 2xx; otherwise what went wrong, fit for the delivery log
     * @param timedOut the deadline passed before the answer (or its body) was read
     */
    record Answer(int status, Map<String, List<String>> headers, String error, boolean timedOut) {
        Optional<String> header(String name) {
            return headers.entrySet().stream()
                    .filter(e ->
                            e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty())
                    .map(e -> e.getValue().get(0))
                    .findFirst();
        }
    }

    /**
     * Sends a payload to a webhook, signed at {@code now} unless the webhook is Slack's.
     *
     * @param deliveryId sent as {@code X-SecretTrail-Delivery}, for the receiver's logs
     * @throws RuntimeException when the message cannot be built (a failure of ours, not the receiver's)
     */
    Answer send(WebhookConfig w, String deliveryId, JsonNode payload, Instant now) throws InterruptedException {
        String body = switch (w.format()) {
            case "slack" -> Slack.message(payload, publicUrl).toString();
            case "ocsf" -> Ocsf.lines(payload);
            default -> payload.toString();
        };
        return exchange(request(w, deliveryId, body, now));
    }

    /**
     * Sends the request and reads the answer: the status and headers, and, of a refusal, the first
     * {@link #MAX_BODY_BYTES} of the body, all within one deadline (the client's own timeout stops
     * at the headers, so a body trickling in a byte at a time would hold it for ever).
     */
    Answer exchange(HttpRequest request) throws InterruptedException {
        AtomicReference<HttpResponse.ResponseInfo> info = new AtomicReference<>();
        AtomicReference<CappedBody> partial = new AtomicReference<>();
        CompletableFuture<HttpResponse<String>> f = http.sendAsync(request, ri -> {
            info.set(ri);
            CappedBody b = new CappedBody(ri.statusCode() / 100 == 2 ? 0 : MAX_BODY_BYTES);
            partial.set(b);
            return b;
        });
        try {
            HttpResponse<String> resp = f.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
            return answer(resp.statusCode(), resp.headers().map(), resp.body(), false);
        } catch (TimeoutException e) {
            f.cancel(true); // closes the connection
            HttpResponse.ResponseInfo ri = info.get();
            if (ri == null) {
                return new Answer(0, Map.of(), "timed out: no answer within " + deadline.toMillis() + " ms", true);
            }
            return answer(ri.statusCode(), ri.headers().map(), partial.get().soFar(), true);
        } catch (InterruptedException e) {
            f.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
                c = c.getCause();
            }
            if (c instanceof HttpTimeoutException) {
                return new Answer(0, Map.of(), "timed out (" + clean(c.getMessage(), 200) + ")", true);
            }
            if (c instanceof ProtocolException) {
                return new Answer(0, Map.of(), "invalid HTTP answer: " + clean(c.getMessage(), 200), false);
            }
            return new Answer(0, Map.of(), "connection failed: " + clean(String.valueOf(c), 300), false);
        }
    }

    private Answer answer(int status, Map<String, List<String>> headers, String body, boolean cutOff) {
        if (status >= 200 && status < 300) {
            return new Answer(status, headers, null, false);
        }
        Answer h = new Answer(status, headers, null, cutOff);
        String text = body == null ? "" : body;
        String error = "HTTP " + status
                + (status >= 300 && status < 400
                        ? ", redirect to "
                                + h.header("Location").map(Sender::maskLocation).orElse("?") + " not followed"
                        : "")
                + (text.isBlank() ? "" : ": " + clean(text, SHOWN_BODY_CHARS))
                + (cutOff ? " (answer cut off at the " + deadline.toMillis() + " ms deadline)" : "");
        return new Answer(status, headers, error, cutOff);
    }

    private HttpRequest request(WebhookConfig w, String deliveryId, String body, Instant now) {
        HttpRequest.Builder b = HttpRequest.newBuilder(w.url())
                .timeout(READ_TIMEOUT)
                .header("Content-Type", w.format().equals("ocsf") ? "application/x-ndjson" : "application/json")
                .header("User-Agent", "SecretTrail-Webhook/1")
                .header("X-SecretTrail-Delivery", deliveryId)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (!w.format().equals("slack")) {
            String ts = Long.toString(now.getEpochSecond());
            b.header("X-SecretTrail-Timestamp", ts)
                    .header("X-SecretTrail-Signature", "sha256=" + sign(w.secret(), ts, body));
        }
        return b.build();
    }

    /** hex(HMAC-SHA256(secret, timestamp + "." + body)). */
    public static String sign(String secret, String timestamp, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Retry-After as seconds or an HTTP date (counted from {@code now}); null if unreadable. */
    static Duration retryAfter(String v, Instant now) {
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(v.trim())));
        } catch (NumberFormatException e) {
            try {
                Duration d = Duration.between(
                        now,
                        ZonedDateTime.parse(v.trim(), DateTimeFormatter.RFC_1123_DATE_TIME)
                                .toInstant());
                return d.isNegative() ? Duration.ZERO : d;
            } catch (java.time.format.DateTimeParseException e2) {
                return null;
            }
        }
    }

    /** A Location fit for the log: masked like a webhook URL, or said to be invalid. */
    static String maskLocation(String location) {
        try {
            URI u = new URI(location.strip());
            if (u.getScheme() == null || u.getHost() == null) {
                return "a relative Location";
            }
            return WebhookConfig.mask(u);
        } catch (java.net.URISyntaxException e) {
            return "an invalid Location (" + clean(e.getReason(), 100) + ")";
        }
    }

    /** Receiver text for the log: control characters shown escaped, at most {@code max} characters. */
    static String clean(String text, int max) {
        return text == null ? "" : io.secrettrail.core.Text.visible(text, max);
    }

    /** The class and message of an exception, with its causes when the message says nothing. */
    static String describe(Throwable e) {
        StringBuilder b = new StringBuilder(e.getClass().getSimpleName());
        if (e.getMessage() != null) {
            b.append(": ").append(e.getMessage());
        }
        for (Throwable c = e.getCause(); c != null && c != e && b.length() < 500; c = c.getCause()) {
            b.append("; caused by ")
                    .append(c.getClass().getSimpleName())
                    .append(c.getMessage() == null ? "" : ": " + c.getMessage());
        }
        return clean(b.toString(), 500);
    }
}
