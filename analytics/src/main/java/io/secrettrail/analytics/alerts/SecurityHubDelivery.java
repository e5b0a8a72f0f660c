package io.secrettrail.analytics.alerts;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.secrettrail.analytics.store.EventStore;
import io.secrettrail.core.RetryPolicy;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the Security Hub target's rows of the durable {@link Outbox}: each due alert transition as
 * an ASFF finding ({@link Asff}), grouped by the account it belongs to and imported as that account
 * through the {@link FindingImporter}, which batches and honours throttling. A row is delivered once its
 * finding was accepted; a finding Security Hub refused fails with its error code; when an account's
 * findings could not be imported at all (throttled past the attempts, unreachable, credentials refused) its
 * rows stay pending and are tried again by the outbox's {@link RetryPolicy}, across restarts too; throttled rows are
 * never given up, other failures fail after the outbox's 24 hours as a webhook's do.
 */
public final class SecurityHubDelivery implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SecurityHubDelivery.class);

    private final Outbox outbox;
    private final String region;
    private final FindingImporter importer;
    private final RetryPolicy retry;
    private final Clock clock;
    private ScheduledExecutorService worker;

    /** @param importer imports as the account it is given */
    public SecurityHubDelivery(EventStore store, SecurityHubSettings settings, FindingImporter importer, Clock clock) {
        this(new Outbox(store), settings, importer, Deliverer.retryPolicy(clock), clock);
    }

    SecurityHubDelivery(
            Outbox outbox, SecurityHubSettings settings, FindingImporter importer, RetryPolicy retry, Clock clock) {
        this.outbox = outbox;
        this.region = settings.region();
        this.importer = importer;
        this.retry = retry;
        this.clock = clock;
    }

    /** Delivers what is due every {@code every}, on its own thread. */
    public SecurityHubDelivery start(Duration every) {
        worker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "secrettrail-securityhub");
            t.setDaemon(true);
            return t;
        });
        worker.scheduleWithFixedDelay(
                io.secrettrail.analytics.live.Background.guarded(log, "Security Hub import pass", this::deliverDue),
                0,
                every.toMillis(),
                TimeUnit.MILLISECONDS);
        return this;
    }

    /**
     * One pass: every due transition imported, one importer call per account. Transitions of one finding due
     * together (an alarm and its clear) go as the latest of them: a finding is a state, and the import is an upsert.
     *
     * @return findings sent
     */
    public synchronized int deliverDue() throws SQLException {
        Instant now = clock.instant();
        // account -> finding Id -> its due rows (oldest first) and the latest finding
        Map<String, Map<String, List<Outbox.Row>>> rows = new LinkedHashMap<>();
        Map<String, Map<String, ObjectNode>> latest = new LinkedHashMap<>();
        for (Outbox.Row r : outbox.due(SecurityHubSettings.TARGET, now)) {
            ObjectNode f;
            try {
                f = Asff.finding(Payloads.read(r.payload(), "outbox"), region);
            } catch (RuntimeException e) {
                // no finding can be made of it (no account): it can never be imported, so it fails, named
                record(r, "failed", null, "not imported: " + Sender.describe(e), now);
                continue;
            }
            String account = f.get("AwsAccountId").asText();
            String id = f.get("Id").asText();
            rows.computeIfAbsent(account, k -> new LinkedHashMap<>())
                    .computeIfAbsent(id, k -> new ArrayList<>())
                    .add(r);
            latest.computeIfAbsent(account, k -> new LinkedHashMap<>()).put(id, f);
        }
        int sent = 0;
        for (var e : rows.entrySet()) {
            String account = e.getKey();
            List<ObjectNode> batch = List.copyOf(latest.get(account).values());
            sent += batch.size();
            Map<String, String> refused;
            try {
                refused = importer.importFindings(account, batch);
            } catch (IOException | RuntimeException ex) {
                String why = Sender.describe(ex);
                log.warn("Security Hub: {} findings of account {} not imported: {}", batch.size(), account, why);
                for (List<Outbox.Row> same : e.getValue().values()) {
                    for (Outbox.Row r : same) {
                        retryLater(r, why, ex instanceof FindingImporter.Throttled, now);
                    }
                }
                continue;
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return sent;
            }
            Instant at = clock.instant();
            for (var same : e.getValue().entrySet()) {
                String error = refused.get(same.getKey());
                for (Outbox.Row r : same.getValue()) {
                    if (error == null) {
                        record(r, "delivered", null, null, at);
                    } else {
                        record(r, "failed", null, "refused by Security Hub: " + Sender.clean(error, 300), at);
                    }
                }
            }
        }
        return sent;
    }

    /** Pending again after the outbox's backoff; a throttled row past its 24 h waits on at the longest backoff. */
    private void retryLater(Outbox.Row r, String why, boolean throttled, Instant now) throws SQLException {
        Optional<Instant> again = retry.next(r.attempts() + 1, r.createdAt());
        if (again.isEmpty() && throttled) {
            again = Optional.of(now.plus(Deliverer.MAX_BACKOFF));
        }
        if (again.isEmpty()) {
            record(r, "failed", null, why + "; gave up after " + (r.attempts() + 1) + " attempts over 24 h", now);
        } else {
            record(r, "pending", again.get(), why, now);
        }
    }

    private void record(Outbox.Row r, String status, Instant next, String error, Instant at) throws SQLException {
        boolean ok = status.equals("delivered");
        outbox.record(
                r.deliveryId(),
                new Outbox.Outcome(status, r.attempts() + 1, next, ok ? 200 : 0, error, 0, ok ? at : null));
    }

    @Override
    public void close() {
        if (worker != null) {
            worker.shutdownNow();
        }
    }
}
