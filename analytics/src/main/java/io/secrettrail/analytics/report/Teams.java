package io.secrettrail.analytics.report;

import io.secrettrail.analytics.cost.CostReport;
import io.secrettrail.analytics.cost.MonthCost;
import io.secrettrail.analytics.cost.Saving;
import io.secrettrail.analytics.rules.Finding;
import io.secrettrail.analytics.rules.RuleCatalog;
import io.secrettrail.analytics.snapshot.Ownership;
import io.secrettrail.analytics.snapshot.SecretOwners;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The report's {@code teams} section: per team (see {@link Ownership}), from the report's own figures, so a team's
 * row adds up to what the other sections say of its secrets.
 */
final class Teams {
    private Teams() {}

    /**
     * @param owners every secret's team, by ARN
     * @param rules tells posture rules (no detection) from detections
     */
    static List<Report.Team> of(
            List<Report.SecretSummary> secrets,
            Map<String, SecretOwners.Owner> owners,
            List<Finding> alerts,
            CostReport cost,
            RuleCatalog rules) {
        Function<String, String> teamOf = arn -> {
            SecretOwners.Owner o = owners.get(arn);
            return o == null ? null : o.team();
        };
        Map<String, Acc> by = new TreeMap<>();
        for (Report.SecretSummary s : secrets) {
            // a secret an inventory shows does not exist is nobody's
            if (Boolean.FALSE.equals(s.exists()) || teamOf.apply(s.arn()) == null) {
                continue;
            }
            by.computeIfAbsent(teamOf.apply(s.arn()), t -> new Acc()).secrets++;
        }
        for (Finding f : alerts) {
            String team = teamOf.apply(f.resource());
            if (team == null) {
                continue;
            }
            Acc a = by.computeIfAbsent(team, t -> new Acc());
            if (f.incident() != null) {
                if (f.incident().open()) {
                    a.openIncidents++;
                }
            } else if (posture(rules, f.rule())) {
                a.postureFailures++;
            }
        }
        if (cost != null) {
            List<MonthCost> months = cost.months() == null ? List.of() : cost.months();
            if (!months.isEmpty()) {
                add(by, teamOf, months.get(months.size() - 1), (a, v) -> a.thisMonth = a.thisMonth.add(v));
            }
            if (months.size() > 1) {
                add(by, teamOf, months.get(months.size() - 2), (a, v) -> a.lastMonth = a.lastMonth.add(v));
            }
            for (Saving s : cost.savings() == null ? List.<Saving>of() : cost.savings()) {
                String team = teamOf.apply(s.resource());
                if (team != null && !s.information()) {
                    Acc a = by.computeIfAbsent(team, t -> new Acc());
                    a.savings = a.savings.add(s.monthlyUsd());
                }
            }
        }
        return by.entrySet().stream()
                .map(e -> new Report.Team(
                        e.getKey(),
                        e.getValue().secrets,
                        e.getValue().thisMonth,
                        e.getValue().lastMonth,
                        e.getValue().openIncidents,
                        e.getValue().postureFailures,
                        e.getValue().savings))
                .toList();
    }

    private static boolean posture(RuleCatalog rules, String id) {
        return rules.get(id).detection() == null;
    }

    /** A month's cost of each team's secrets, KMS included ({@link MonthCost.Line#totalUsd}). */
    private static void add(
            Map<String, Acc> by,
            Function<String, String> teamOf,
            MonthCost m,
            java.util.function.BiConsumer<Acc, BigDecimal> to) {
        for (MonthCost.Line l : m.bySecret()) {
            String team = teamOf.apply(l.key());
            if (team != null) {
                to.accept(by.computeIfAbsent(team, t -> new Acc()), l.totalUsd());
            }
        }
    }

    private static final class Acc {
        long secrets;
        long openIncidents;
        long postureFailures;
        BigDecimal thisMonth = BigDecimal.ZERO;
        BigDecimal lastMonth = BigDecimal.ZERO;
        BigDecimal savings = BigDecimal.ZERO;
    }
}
