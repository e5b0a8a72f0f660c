package io.secrettrail.analytics.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.secrettrail.analytics.store.EventStore;
import io.secrettrail.core.RetryPolicy;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers what the {@link Outbox} holds, through the {@link Sender}: the loop that ties them. A
 * delivery is marked delivered only after a 2xx; timeouts, connection errors, answers that are not
 * HTTP, 5xx and 429 are retried by the {@link RetryPolicy} (honouring {@code Retry-After}) for up
 * to {@link #GIVE_UP_AFTER} after the alert; any other status, and any redirect (never followed),
 * fails it at once, recorded with the response. Each webhook sends at most its {@code perMinute}
 * ({@link RateWindow}); what is due beyond that goes out as one digest message.
 *
 * <p>A receiver cannot hold or break a pass: whatever goes wrong with one delivery (an invalid
 * answer, a malformed {@code Location}, a failure of ours) is recorded on that delivery as an
 * attempt with its reason, and the pass goes on with the others. After an attempt that ran into the
 * deadline, and once a webhook's attempts in this pass have taken one deadline in all, the rest of
 * that webhook's deliveries wait for the next pass, so a slow receiver holds a pass for about one
 * deadline at most. Dates come from the clock; durations (latency, that budget) from the monotonic
 * nanosecond source passed in.
 */
public final class Deliverer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Deliverer.class);
    /** No attempt later than this after the alert was written. */
    public static final Duration GIVE_UP_AFTER = Duration.ofHours(24);

    static final Duration MAX_BACKOFF = Duration.ofHours(1);

    private final Outbox outbox;
    private final Sender sender;
    private final RetryPolicy retry;
    private final RateWindow rate = new RateWindow();
    private final WebhookSettings settings;
    private final Clock clock;
    private final LongSupplier nanoTime;
    private ScheduledExecutorService worker;

    public Deliverer(EventStore store, WebhookSettings settings, Clock clock) {
        this(store, settings, clock, Sender.DEADLINE);
    }

    /**
     * A deliverer over the store's outbox, measuring durations with {@link System#nanoTime}.
     *
     * @param deadline the total time one attempt may take, answer and body included
     */
    public Deliverer(EventStore store, WebhookSettings settings, Clock clock, Duration deadline) {
        this(
                new Outbox(store),
                new Sender(deadline, settings.publicUrl()),
                retryPolicy(clock),
                settings,
                clock,
                System::nanoTime);
    }

    /** @param nanoTime a monotonic clock in nanoseconds, for latencies and each webhook's budget per pass */
    public Deliverer(
            Outbox outbox,
            Sender sender,
            RetryPolicy retry,
            WebhookSettings settings,
            Clock clock,
            LongSupplier nanoTime) {
        this.outbox = outbox;
        this.sender = sender;
        this.retry = retry;
        this.settings = settings;
        this.clock = clock;
        this.nanoTime = nanoTime;
    }

    /** 1 s, 2 s, 4 s ... up to an hour, times a jitter of 0.5 to 1.5, for 24 hours after the alert. */
    public static RetryPolicy retryPolicy(Clock clock) {
        return new RetryPolicy(clock)
                .first(Duration.ofSeconds(1))
                .cap(MAX_BACKOFF)
                .jitter(0.5, 1.5)
                .giveUpAfter(GIVE_UP_AFTER);
    }

    /** Delivers what is due every {@code every}, on its own thread. */
    public Deliverer start(Duration every) {
        worker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "secrettrail-webhooks");
            t.setDaemon(true);
            return t;
        });
        worker.scheduleWithFixedDelay(
                io.secrettrail.analytics.live.Background.guarded(log, "webhook delivery pass", this::deliverDue),
                0,
                every.toMillis(),
                TimeUnit.MILLISECONDS);
        return this;
    }

    /** One pass: sends every delivery that is due, within each webhook's rate. @return attempts made */
    public synchronized int deliverDue() throws SQLException {
        int attempts = 0;
        for (WebhookConfig w : settings.webhooks()) {
            if (SecurityHubSettings.isTarget(w)) {
                continue; // imported by SecurityHubDelivery, as the account of each finding
            }
            Instant now = clock.instant();
            List<Outbox.Row> due = outbox.due(w.name(), now);
            if (due.isEmpty()) {
                continue;
            }
            int room = rate.room(w.name(), w.perMinute(), now);
            if (room == 0) {
                continue;
            }
            if (due.size() > room) {
                due = withDigest(w, due, room, now);
            }
            // One deadline of sending per webhook and pass: a receiver answering just inside the deadline
            // each time cannot hold the other webhooks for perMinute deadlines.
            long budget = sender.deadline().toNanos();
            long began = nanoTime.getAsLong();
            for (Outbox.Row r : due) {
                if (nanoTime.getAsLong() - began >= budget) {
                    log.warn(
                            "webhook {}: its receiver used this pass's {} ms; its other deliveries wait for the next pass",
                            w.name(),
                            sender.deadline().toMillis());
                    break;
                }
                attempts++;
                try {
                    if (attempt(w, r)) {
                        log.warn(
                                "webhook {}: the receiver ran into the {} ms deadline; its other deliveries wait for the next pass",
                                w.name(),
                                sender.deadline().toMillis());
                        break;
                    }
                } catch (SQLException | RuntimeException e) {
                    // the outcome could not be recorded: the delivery stays as it was and is tried again
                    log.warn(
                            "webhook {} delivery {}: outcome not recorded: {}",
                            w.name(),
                            r.deliveryId(),
                            Sender.describe(e));
                }
            }
        }
        return attempts;
    }

    /**
     * Beyond the rate: the first room-1 go as they are, the rest as one digest. A team's scheduled digest is never
     * folded (its figures are no alert line): beyond the room it waits for a later pass.
     */
    private List<Outbox.Row> withDigest(WebhookConfig w, List<Outbox.Row> due, int room, Instant now) {
        List<Outbox.Row> single = due.subList(0, room - 1);
        List<Outbox.Row> rest = due.subList(room - 1, due.size()).stream()
                .filter(r -> !r.kind().equals(Digests.KIND))
                .toList();
        if (rest.size() <= 1) {
            List<Outbox.Row> out = new ArrayList<>(single);
            out.add(rest.isEmpty() ? due.get(room - 1) : rest.get(0));
            return out;
        }
        try {
            String id = "digest-" + UUID.randomUUID();
            ObjectNode payload =
                    Payloads.digest(id, rest.stream().map(Outbox.Row::payload).toList(), now);
            List<Outbox.Row> out = new ArrayList<>(single);
            out.add(outbox.fold(w, id, payload, rest, now));
            return out;
        } catch (SQLException | RuntimeException e) {
            // the rows stay pending as they are: sent one by one, within the rate, on later passes
            log.warn(
                    "webhook {}: could not fold {} deliveries into a digest ({}); sending them one by one",
                    w.name(),
                    rest.size(),
                    Sender.describe(e));
            return new ArrayList<>(due.subList(0, room));
        }
    }

    /** The outcome of one attempt, as recorded. */
    public record Attempt(int status, String error, long latencyMs) {}

    /** One attempt, recorded on the delivery. @return true when the receiver ran into the deadline */
    private boolean attempt(WebhookConfig w, Outbox.Row r) throws SQLException {
        Instant now = clock.instant();
        rate.sent(w.name(), now);
        long began = nanoTime.getAsLong();
        int status = 0;
        String error;
        Duration retryAfter = null;
        boolean slow = false;
        try {
            JsonNode payload = Payloads.read(r.payload(), "outbox");
            Sender.Answer a = sender.send(w, r.deliveryId(), payload, now);
            status = a.status();
            error = a.error();
            slow = a.timedOut();
            if (status != 0 && (status < 200 || status >= 300)) {
                retryAfter = a.header("Retry-After")
                        .map(v -> Sender.retryAfter(v, clock.instant()))
                        .orElse(null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error = "interrupted";
        } catch (RuntimeException e) {
            // a failure of ours (an unreadable payload, a message that cannot be built): on this delivery, not the pass
            error = "not sent: " + Sender.describe(e);
        }
        long latency = (nanoTime.getAsLong() - began) / 1_000_000;
        int attempts = r.attempts() + 1;
        boolean ok = status >= 200 && status < 300;
        boolean retryable = !ok && (status == 0 || status == 429 || status >= 500);
        Instant next = null;
        String outcome;
        if (ok) {
            outcome = "delivered";
        } else if (retryable) {
            Optional<Instant> again =
                    retryAfter != null ? retry.after(retryAfter, r.createdAt()) : retry.next(attempts, r.createdAt());
            if (again.isEmpty()) {
                outcome = "failed";
                error = error + "; gave up after " + attempts + " attempts over 24 h";
            } else {
                outcome = "pending";
                next = again.get();
            }
        } else {
            outcome = "failed";
        }
        log.info(
                "webhook {} delivery {} attempt {}: {} ({} ms){}",
                w.name(),
                r.deliveryId(),
                attempts,
                outcome,
                latency,
                error == null ? "" : " " + error);
        outbox.record(
                r.deliveryId(),
                new Outbox.Outcome(outcome, attempts, next, status, error, latency, ok ? clock.instant() : null));
        return slow;
    }

    /** Sends a test message to one webhook now, once, and reports the outcome (nothing is recorded). */
    public Attempt test(WebhookConfig w) {
        if (SecurityHubSettings.isTarget(w)) {
            return new Attempt(0, "Security Hub takes findings only, no test message", 0);
        }
        Instant now = clock.instant();
        ObjectNode p = Payloads.test("test-" + UUID.randomUUID(), now);
        long began = nanoTime.getAsLong();
        try {
            Sender.Answer a = sender.send(w, p.get("id").asText() + ":" + w.name(), p, now);
            return new Attempt(a.status(), a.error(), (nanoTime.getAsLong() - began) / 1_000_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Attempt(0, "interrupted", 0);
        }
    }

    /** This webhook's latest deliveries, newest first: what the dashboard lists. */
    public List<Map<String, Object>> deliveries(String webhook, int limit) throws SQLException {
        return outbox.log(webhook, limit);
    }

    /** The delivery log of one webhook, newest first (see {@link Outbox#log}). */
    public static List<Map<String, Object>> log(EventStore store, String webhook, int limit) throws SQLException {
        return new Outbox(store).log(webhook, limit);
    }

    @Override
    public void close() {
        if (worker != null) {
            worker.shutdownNow();
        }
    }
}
