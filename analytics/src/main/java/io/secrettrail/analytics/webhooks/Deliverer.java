package io.secrettrail.analytics.webhooks;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ProtocolException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.secrettrail.analytics.store.EventStore;

/**
 * Sends what the outbox holds. A delivery is marked delivered only after a 2xx; timeouts,
 * connection errors, 5xx and 429 are retried with exponential backoff and jitter (honouring
 * {@code Retry-After}) for up to 24 hours after the alert; any other status, and any redirect
 * (never followed), fails it at once, recorded with the response. Each webhook sends at most its
 * {@code perMinute}; what is due beyond that goes out as one digest message.
 *
 * <p>A receiver cannot hold or break a pass: each attempt has one total deadline (connect, answer
 * and body together), at most {@link #MAX_BODY_BYTES} of an answer's body are read (none of a
 * 2xx's), and whatever goes wrong with one delivery (an invalid answer, a malformed
 * {@code Location}, a failure of ours) is recorded on that delivery as an attempt with its reason,
 * and the pass goes on with the others. After an attempt that ran into the deadline, the rest of
 * that webhook's deliveries wait for the next pass, so a slow receiver holds a pass for one
 * deadline at most.
 */
public final class Deliverer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Deliverer.class);
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration READ_TIMEOUT = Duration.ofSeconds(10);
    /** One attempt, from connecting to the last byte read of the answer. */
    public static final Duration DEADLINE = Duration.ofSeconds(20);
    /** What is read of an answer's body at most (it only explains a refusal). */
    public static final int MAX_BODY_BYTES = 64 * 1024;
    /** What of a refusal's body goes into the delivery log. */
    static final int SHOWN_BODY_CHARS = 300;
    public static final Duration GIVE_UP_AFTER = Duration.ofHours(24);
    static final Duration MAX_BACKOFF = Duration.ofHours(1);

    private final EventStore store;
    private final WebhookSettings settings;
    private final Clock clock;
    private final Duration deadline;
    private final HttpClient http;
    private final SplittableRandom jitter = new SplittableRandom();
    private final Map<String, ArrayDeque<Instant>> sent = new HashMap<>();
    private ScheduledExecutorService worker;

    public Deliverer(EventStore store, WebhookSettings settings, Clock clock) {
        this(store, settings, clock, DEADLINE);
    }

    /** @param deadline the total time one attempt may take, answer and body included */
    public Deliverer(EventStore store, WebhookSettings settings, Clock clock, Duration deadline) {
        if (deadline.isNegative() || deadline.isZero()) {
            throw new IllegalArgumentException("deadline must be positive, was " + deadline);
        }
        this.store = store;
        this.settings = settings;
        this.clock = clock;
        this.deadline = deadline;
        Duration connect = deadline.compareTo(CONNECT_TIMEOUT) < 0 ? deadline : CONNECT_TIMEOUT;
        this.http = HttpClient.newBuilder().connectTimeout(connect).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** Delivers what is due every {@code every}, on its own thread. */
    public Deliverer start(Duration every) {
        worker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "secrettrail-webhooks");
            t.setDaemon(true);
            return t;
        });
        worker.scheduleWithFixedDelay(() -> {
            try {
                deliverDue();
            } catch (Exception | Error e) {
                log.warn("webhook delivery pass failed: {}", e.toString());
            }
        }, 0, every.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** One pass: sends every delivery that is due, within each webhook's rate. @return attempts made */
    public synchronized int deliverDue() throws SQLException {
        int attempts = 0;
        for (WebhookConfig w : settings.webhooks()) {
            Instant now = clock.instant();
            List<Row> due = due(w.name(), now);
            if (due.isEmpty()) {
                continue;
            }
            int room = room(w, now);
            if (room == 0) {
                continue;
            }
            if (due.size() > room) {
                // beyond the rate: the first room-1 go as they are, the rest as one digest
                List<Row> single = due.subList(0, room - 1);
                List<Row> rest = due.subList(room - 1, due.size());
                try {
                    Row digest = digest(w, rest, now);
                    due = new ArrayList<>(single);
                    due.add(digest);
                } catch (SQLException | RuntimeException e) {
                    // the rows stay pending as they are: sent one by one, within the rate, on later passes
                    log.warn("webhook {}: could not fold {} deliveries into a digest ({}); sending them one by one", w.name(),
                            rest.size(), describe(e));
                    due = new ArrayList<>(due.subList(0, room));
                }
            }
            // One deadline of sending per webhook and pass: a receiver answering just inside the deadline
            // each time cannot hold the other webhooks for perMinute deadlines.
            long began = System.nanoTime();
            for (Row r : due) {
                if (System.nanoTime() - began >= deadline.toNanos()) {
                    log.warn("webhook {}: its receiver used this pass's {} ms; its other deliveries wait for the next pass",
                            w.name(), deadline.toMillis());
                    break;
                }
                attempts++;
                try {
                    if (send(w, r)) {
                        log.warn("webhook {}: the receiver ran into the {} ms deadline; its other deliveries wait for the next pass",
                                w.name(), deadline.toMillis());
                        break;
                    }
                } catch (SQLException | RuntimeException e) {
                    // the outcome could not be recorded: the delivery stays as it was and is tried again
                    log.warn("webhook {} delivery {}: outcome not recorded: {}", w.name(), r.deliveryId(), describe(e));
                }
            }
        }
        return attempts;
    }

    record Row(String deliveryId, String messageId, String kind, String payload, Instant createdAt, int attempts) {}

    private List<Row> due(String webhook, Instant now) throws SQLException {
        List<Row> out = new ArrayList<>();
        try (Connection c = store.reader(); PreparedStatement ps = c.prepareStatement("""
                SELECT delivery_id, message_id, kind, payload, created_at, attempts FROM webhook_outbox
                WHERE webhook = ? AND status = 'pending' AND next_attempt_at <= ? ORDER BY created_at, delivery_id""")) {
            ps.setString(1, webhook);
            ps.setObject(2, utc(now));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getObject(5, LocalDateTime.class).toInstant(ZoneOffset.UTC), rs.getInt(6)));
                }
            }
        }
        return out;
    }

    /** Sends left in this minute for the webhook. */
    private int room(WebhookConfig w, Instant now) {
        ArrayDeque<Instant> times = sent.computeIfAbsent(w.name(), k -> new ArrayDeque<>());
        while (!times.isEmpty() && !times.peekFirst().isAfter(now.minus(Duration.ofMinutes(1)))) {
            times.pollFirst();
        }
        return Math.max(0, w.perMinute() - times.size());
    }

    /** Folds rows into one digest message, recorded in the outbox in one transaction. */
    private Row digest(WebhookConfig w, List<Row> rows, Instant now) throws SQLException {
        String id = "digest-" + UUID.randomUUID();
        ObjectNode payload = AlertLedger.JSON.createObjectNode();
        payload.put("id", id);
        payload.put("transition", "digest");
        payload.put("occurredAt", io.secrettrail.core.Times.format(now));
        ArrayNode alerts = payload.putArray("alerts");
        for (Row r : rows) {
            alerts.add(read(r.payload()));
        }
        payload.put("count", rows.size());
        try (Connection c = store.reader()) {
            c.setAutoCommit(false);
            try {
                AlertLedger.enqueue(c, w, id, "digest", null, null, null, payload, now);
                try (PreparedStatement ps = c.prepareStatement(
                        "UPDATE webhook_outbox SET status = 'digested', digest_id = ? WHERE delivery_id = ? AND status = 'pending'")) {
                    for (Row r : rows) {
                        ps.setString(1, id + ":" + w.name());
                        ps.setString(2, r.deliveryId());
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
        return new Row(id + ":" + w.name(), id, "digest", payload.toString(), now, 0);
    }

    /** The outcome of one attempt, as recorded. */
    public record Attempt(int status, String error, long latencyMs) {}

    /** One attempt, recorded on the delivery. @return true when the receiver ran into the deadline */
    private boolean send(WebhookConfig w, Row r) throws SQLException {
        Instant now = clock.instant();
        sent.computeIfAbsent(w.name(), k -> new ArrayDeque<>()).addLast(now);
        long began = System.nanoTime();
        int status = 0;
        String error;
        Duration retryAfter = null;
        boolean slow = false;
        try {
            JsonNode payload = read(r.payload());
            String body = w.format().equals("slack") ? Slack.message(payload, settings.publicUrl()).toString() : payload.toString();
            Answer a = exchange(request(w, r.deliveryId(), body, now));
            status = a.status();
            error = a.error();
            slow = a.timedOut();
            if (status != 0 && (status < 200 || status >= 300)) {
                retryAfter = a.header("Retry-After").map(v -> retryAfter(v, clock.instant())).orElse(null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error = "interrupted";
        } catch (RuntimeException e) {
            // a failure of ours (an unreadable payload, a message that cannot be built): on this delivery, not the pass
            error = "not sent: " + describe(e);
        }
        long latency = (System.nanoTime() - began) / 1_000_000;
        int attempts = r.attempts() + 1;
        boolean ok = status >= 200 && status < 300;
        boolean retry = !ok && (status == 0 || status == 429 || status >= 500);
        Instant next = null;
        String outcome;
        if (ok) {
            outcome = "delivered";
        } else if (retry) {
            Duration wait = retryAfter != null ? retryAfter : backoff(attempts);
            next = clock.instant().plus(wait);
            if (next.isAfter(r.createdAt().plus(GIVE_UP_AFTER))) {
                outcome = "failed";
                error = error + "; gave up after " + attempts + " attempts over 24 h";
                next = null;
            } else {
                outcome = "pending";
            }
        } else {
            outcome = "failed";
        }
        log.info("webhook {} delivery {} attempt {}: {} ({} ms){}", w.name(), r.deliveryId(), attempts, outcome, latency,
                error == null ? "" : " " + error);
        try (Connection c = store.reader(); PreparedStatement ps = c.prepareStatement("""
                UPDATE webhook_outbox SET status = ?, attempts = ?, next_attempt_at = coalesce(?, next_attempt_at), last_status = ?,
                    last_error = ?, latency_ms = ?, delivered_at = ? WHERE delivery_id = ?""")) {
            ps.setString(1, outcome);
            ps.setInt(2, attempts);
            ps.setObject(3, next == null ? null : utc(next));
            ps.setObject(4, status == 0 ? null : status);
            ps.setString(5, error);
            ps.setLong(6, latency);
            ps.setObject(7, ok ? utc(clock.instant()) : null);
            ps.setString(8, r.deliveryId());
            ps.executeUpdate();
            if (!c.getAutoCommit()) {
                c.commit();
            }
        }
        return slow;
    }

    /** Sends a test message to one webhook now, once, and reports the outcome (nothing is recorded). */
    public Attempt test(WebhookConfig w) {
        Instant now = clock.instant();
        ObjectNode p = AlertLedger.JSON.createObjectNode();
        p.put("id", "test-" + UUID.randomUUID());
        p.put("transition", "test");
        p.put("rule", "webhook-test");
        p.put("severity", "low");
        p.put("resource", "secrettrail");
        p.put("reason", "a test message from SecretTrail: if you read this, the webhook works");
        p.put("occurredAt", io.secrettrail.core.Times.format(now));
        String body = w.format().equals("slack") ? Slack.message(p, settings.publicUrl()).toString() : p.toString();
        long began = System.nanoTime();
        try {
            Answer a = exchange(request(w, p.get("id").asText() + ":" + w.name(), body, now));
            return new Attempt(a.status(), a.error(), (System.nanoTime() - began) / 1_000_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Attempt(0, "interrupted", 0);
        }
    }

    /**
     * What a receiver answered, read within the deadline.
     *
     * @param status 0 when no answer came
     * @param error null for a 2xx; otherwise what went wrong, fit for the delivery log
     * @param timedOut the deadline passed before the answer (or its body) was read
     */
    record Answer(int status, Map<String, List<String>> headers, String error, boolean timedOut) {
        java.util.Optional<String> header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty())
                    .map(e -> e.getValue().get(0)).findFirst();
        }
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
        String error = "HTTP " + status + (status >= 300 && status < 400
                ? ", redirect to " + h.header("Location").map(Deliverer::maskLocation).orElse("?") + " not followed" : "")
                + (text.isBlank() ? "" : ": " + clean(text, SHOWN_BODY_CHARS))
                + (cutOff ? " (answer cut off at the " + deadline.toMillis() + " ms deadline)" : "");
        return new Answer(status, headers, error, cutOff);
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
            b.append("; caused by ").append(c.getClass().getSimpleName()).append(c.getMessage() == null ? "" : ": " + c.getMessage());
        }
        return clean(b.toString(), 500);
    }

    /**
     * Keeps the first {@code cap} bytes of a body and then stops reading (the subscription is
     * cancelled, which closes the connection), so no answer is ever buffered whole.
     */
    static final class CappedBody implements HttpResponse.BodySubscriber<String> {
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
        public java.util.concurrent.CompletionStage<String> getBody() {
            return body;
        }

        synchronized String soFar() {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }

    private HttpRequest request(WebhookConfig w, String deliveryId, String body, Instant now) {
        HttpRequest.Builder b = HttpRequest.newBuilder(w.url()).timeout(READ_TIMEOUT)
                .header("Content-Type", "application/json")
                .header("User-Agent", "SecretTrail-Webhook/1")
                .header("X-SecretTrail-Delivery", deliveryId)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (w.format().equals("generic")) {
            String ts = Long.toString(now.getEpochSecond());
            b.header("X-SecretTrail-Timestamp", ts).header("X-SecretTrail-Signature", "sha256=" + sign(w.secret(), ts, body));
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

    /** 1 s, 2 s, 4 s ... up to an hour, times a jitter of 0.5 to 1.5. */
    Duration backoff(int attempts) {
        long base = Math.min(MAX_BACKOFF.toMillis(), 1000L << Math.min(attempts - 1, 22));
        return Duration.ofMillis((long) (base * (0.5 + jitter.nextDouble())));
    }

    /** Retry-After as seconds or an HTTP date (counted from {@code now}); null if unreadable. */
    static Duration retryAfter(String v, Instant now) {
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(v.trim())));
        } catch (NumberFormatException e) {
            try {
                Duration d = Duration.between(now, ZonedDateTime.parse(v.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
                return d.isNegative() ? Duration.ZERO : d;
            } catch (java.time.format.DateTimeParseException e2) {
                return null;
            }
        }
    }

    private static JsonNode read(String json) {
        try {
            return AlertLedger.JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException("unreadable outbox payload", e);
        }
    }

    private static LocalDateTime utc(Instant t) {
        return LocalDateTime.ofInstant(t, ZoneOffset.UTC);
    }

    /** This webhook's latest deliveries, newest first (see {@link #log}): what the dashboard lists. */
    public List<Map<String, Object>> deliveries(String webhook, int limit) throws SQLException {
        return log(store, webhook, limit);
    }

    /** The delivery log of one webhook, newest first. */
    public static List<Map<String, Object>> log(EventStore store, String webhook, int limit) throws SQLException {
        List<Map<String, Object>> out = new ArrayList<>();
        try (Connection c = store.reader(); PreparedStatement ps = c.prepareStatement("""
                SELECT delivery_id, message_id, kind, rule, severity, resource, status, attempts, last_status, last_error, latency_ms,
                    created_at, delivered_at, next_attempt_at, digest_id
                FROM webhook_outbox WHERE webhook = ? ORDER BY created_at DESC, delivery_id LIMIT ?""")) {
            ps.setString(1, webhook);
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> m = new java.util.LinkedHashMap<>();
                    m.put("delivery", rs.getString(1));
                    m.put("id", rs.getString(2));
                    m.put("kind", rs.getString(3));
                    m.put("rule", rs.getString(4));
                    m.put("severity", rs.getString(5));
                    m.put("resource", rs.getString(6));
                    m.put("status", rs.getString(7));
                    m.put("attempts", rs.getInt(8));
                    m.put("lastStatus", rs.getObject(9));
                    m.put("lastError", rs.getString(10));
                    m.put("latencyMs", rs.getObject(11));
                    m.put("createdAt", time(rs, 12));
                    m.put("deliveredAt", time(rs, 13));
                    m.put("nextAttemptAt", time(rs, 14));
                    m.put("digest", rs.getString(15));
                    out.add(m);
                }
            }
        }
        return out;
    }

    private static String time(ResultSet rs, int col) throws SQLException {
        LocalDateTime t = rs.getObject(col, LocalDateTime.class);
        return t == null ? null : io.secrettrail.core.Times.format(t.toInstant(ZoneOffset.UTC));
    }

    @Override
    public void close() {
        if (worker != null) {
            worker.shutdownNow();
        }
    }
}
