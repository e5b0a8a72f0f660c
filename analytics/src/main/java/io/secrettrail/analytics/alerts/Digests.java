package io.secrettrail.analytics.alerts;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.secrettrail.analytics.cost.MonthCost;
import io.secrettrail.analytics.cost.MonthOverMonth;
import io.secrettrail.analytics.cost.Saving;
import io.secrettrail.analytics.report.Report;
import io.secrettrail.analytics.rules.Finding;
import io.secrettrail.analytics.store.EventStore;
import io.secrettrail.analytics.store.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduled digests ({@link DigestConfig}): after each report, each digest whose latest scheduled firing is at
 * or before now and not yet sent builds one message per team from that report and writes it to the durable outbox
 * together with its mark ({@code digest_marks}) in one transaction. Only the latest period is looked at: a process
 * that was down over three firings sends one digest when it is back, not three; and a period marked is never sent
 * again, across restarts. Delivery (retries, signing, Slack) is the {@link Deliverer}'s, as for alerts.
 */
public final class Digests {
    private static final Logger log = LoggerFactory.getLogger(Digests.class);
    /** Lines of each list in a digest. */
    static final int TOP = 5;
    /** The outbox kind of a team's digest: never folded into the rate limit's digest ({@link Deliverer}). */
    static final String KIND = "scheduled-digest";

    private final EventStore store;
    private final WebhookSettings settings;

    public Digests(EventStore store, WebhookSettings settings) {
        this.store = store;
        this.settings = settings;
    }

    /**
     * Sends what is due at {@code now} from this report.
     *
     * @return the digests written to the outbox
     */
    public int run(Report report, Instant now) throws SQLException {
        int sent = 0;
        for (DigestConfig d : settings.digests()) {
            Instant period = d.cron().latest(now, d.zone());
            if (period == null) {
                continue;
            }
            Instant previous = d.cron().latest(period.minusSeconds(1), d.zone());
            WebhookConfig w = settings.get(d.webhook());
            try (Connection c = store.reader()) {
                c.setAutoCommit(false);
                try {
                    Map<String, String> owners = owners(report, c);
                    List<Failure> posture = posture(c, previous, period);
                    for (String team : teams(d, owners)) {
                        if (marked(c, d, team, period)) {
                            continue;
                        }
                        String id = id(d.name(), team, period);
                        ObjectNode payload = payload(id, d, team, period, previous, report, owners, posture, now);
                        Outbox.enqueue(c, w, id, KIND, null, null, team, payload, now);
                        try (PreparedStatement ps = c.prepareStatement(Sql.text("alerts/digest-mark"))) {
                            ps.setString(1, d.name());
                            ps.setString(2, team);
                            ps.setObject(3, Outbox.utc(period));
                            ps.setString(4, id);
                            ps.setObject(5, Outbox.utc(now));
                            ps.executeUpdate();
                        }
                        sent++;
                    }
                    c.commit();
                } catch (SQLException | RuntimeException e) {
                    c.rollback();
                    throw e;
                }
            }
        }
        if (sent > 0) {
            log.info("digests: {} scheduled digests queued", sent);
        }
        return sent;
    }

    /**
     * A team digest's message id, which receivers dedupe by: {@code scheduled-digest:NAME:TEAM:EPOCH}. Neither a
     * digest's name nor a team's holds a colon, so no two digests and teams share one (with dashes, digest
     * {@code weekly} of team {@code eu-payments} was digest {@code weekly-eu} of team {@code payments}).
     */
    static String id(String digest, String team, Instant period) {
        return KIND + ":" + digest + ":" + team + ":" + period.getEpochSecond();
    }

    /** Each secret's team: the report's ownership, else a {@code secret_owners} table the store holds. */
    private static Map<String, String> owners(Report report, Connection c) throws SQLException {
        if (report.owners() == null) {
            return Subjects.teams(c);
        }
        Map<String, String> out = new java.util.HashMap<>();
        report.owners().forEach((arn, o) -> {
            if (o.team() != null) {
                out.put(arn, o.team());
            }
        });
        return out;
    }

    /** The digest's teams: those it lists, else every owning team and unowned. */
    private static Set<String> teams(DigestConfig d, Map<String, String> owners) {
        if (!d.teams().isEmpty()) {
            return new TreeSet<>(d.teams());
        }
        Set<String> all = new TreeSet<>(owners.values());
        all.add(Route.UNOWNED);
        return all;
    }

    private static boolean marked(Connection c, DigestConfig d, String team, Instant period) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(Sql.text("alerts/digest-marked"))) {
            ps.setString(1, d.name());
            ps.setString(2, team);
            ps.setObject(3, Outbox.utc(period));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getLong(1) > 0;
            }
        }
    }

    /** A posture episode opened in the period: {rule, resource, severity, since}. */
    record Failure(String rule, String resource, String severity, Instant since) {}

    /** The posture episodes opened in the period that ends at {@code period}: after {@code previous}, up to it. */
    private static List<Failure> posture(Connection c, Instant previous, Instant period) throws SQLException {
        List<Failure> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(Sql.text("alerts/digest-posture-since"))) {
            ps.setObject(1, Outbox.utc(previous == null ? Instant.EPOCH : previous));
            ps.setObject(2, Outbox.utc(period));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Failure(
                            rs.getString(1),
                            rs.getString(2),
                            rs.getString(3),
                            rs.getObject(4, LocalDateTime.class).toInstant(ZoneOffset.UTC)));
                }
            }
        }
        return out;
    }

    private static String teamOf(String resource, Map<String, String> owners) {
        return new Route.Subject(owners.get(resource), null, List.of()).teamName();
    }

    static ObjectNode payload(
            String id,
            DigestConfig d,
            String team,
            Instant period,
            Instant previous,
            Report report,
            Map<String, String> owners,
            List<Failure> posture,
            Instant now) {
        List<MonthCost> months = report.cost() == null || report.cost().months() == null
                ? List.of()
                : report.cost().months();
        MonthCost current = months.isEmpty() ? null : months.get(months.size() - 1);
        MonthCost last = months.size() < 2 ? null : months.get(months.size() - 2);
        List<MonthCost.Line> thisLines = lines(current, team, owners);
        List<MonthCost.Line> lastLines = lines(last, team, owners);
        List<MonthOverMonth.Mover> movers = MonthOverMonth.movers(lastLines, thisLines);
        List<Finding> open = report.alerts() == null
                ? List.of()
                : report.alerts().stream()
                        .filter(f -> f.alarm()
                                && f.incident() != null
                                && f.incident().open())
                        .filter(f -> teamOf(f.resource(), owners).equals(team))
                        .sorted(Comparator.comparing((Finding f) -> WebhookConfig.rank(f.severity()))
                                .reversed()
                                .thenComparing(Finding::resource))
                        .toList();
        List<Failure> failures = posture.stream()
                .filter(f -> teamOf(f.resource(), owners).equals(team))
                .toList();
        List<Saving> savings = report.cost() == null || report.cost().savings() == null
                ? List.of()
                : report.cost().savings().stream()
                        .filter(s ->
                                !s.information() && teamOf(s.resource(), owners).equals(team))
                        .sorted(Comparator.comparing(Saving::monthlyUsd)
                                .reversed()
                                .thenComparing(Saving::resource))
                        .limit(TOP)
                        .toList();
        return Payloads.scheduledDigest(
                new Payloads.Digest(
                        id,
                        d.name(),
                        team,
                        period,
                        previous,
                        d.zone().getId(),
                        current == null ? null : current.month(),
                        current == null ? null : total(thisLines, false),
                        current == null ? null : total(thisLines, true),
                        last == null ? null : last.month(),
                        last == null ? null : total(lastLines, false),
                        movers.size() > TOP ? movers.subList(0, TOP) : movers,
                        open,
                        failures,
                        savings),
                now);
    }

    /** A month's secret lines of the team's secrets. */
    private static List<MonthCost.Line> lines(MonthCost m, String team, Map<String, String> owners) {
        return m == null
                ? List.of()
                : m.bySecret().stream()
                        .filter(l -> teamOf(l.key(), owners).equals(team))
                        .toList();
    }

    /** Their cost to date (KMS included), or their end-of-month figure (the projection of an open month). */
    private static java.math.BigDecimal total(List<MonthCost.Line> lines, boolean end) {
        java.math.BigDecimal sum = java.math.BigDecimal.ZERO;
        for (MonthCost.Line l : lines) {
            sum = sum.add(end ? l.endUsd() : l.totalUsd());
        }
        return sum;
    }
}
