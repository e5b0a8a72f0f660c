package io.secrettrail.analytics.cost;

import io.secrettrail.core.billing.BilledLine;
import io.secrettrail.core.billing.UsageKinds;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Sets AWS's billing lines beside SecretTrail's computed lines: per month, account, region and usage kind, and,
 * where the billing data names resources, per resource. Only months that have billing data are compared, and only
 * usage lines; credits, refunds, tax and discounts are listed apart. The explanations are the ones SecretTrail can
 * know: a billed secret it does not know or does not bill, days of the month the trail does not cover, a billed
 * rate other than the configured price, a kind it does not compute yet, a month still open.
 */
public final class Reconciler {
    /** A quantity delta smaller than this is rounding (secret-months prorated to the second). */
    private static final BigDecimal QUANTITY_EPSILON = new BigDecimal("0.000001");

    private static final Set<String> RESOURCE_KINDS = Set.of(UsageKinds.SECRETS, UsageKinds.API_REQUESTS);

    /** When the stored events of an account and region begin and end (up to asOf). */
    public record Span(Instant first, Instant last) {}

    /**
     * What the explanations are drawn from.
     *
     * @param trail per {@code account/region}, the span of its stored events
     * @param exists per secret SecretTrail knows (inventory or events): whether it is confirmed to exist (null: not
     *     known either way); a billed ARN absent here is unknown to SecretTrail
     * @param inventoried the ARNs an inventory lists
     * @param computedKinds the usage kinds the computed side covers; others are "not computed yet"
     * @param unitPrices per usage kind and region, the configured USD per billed unit and the setting that gives it
     */
    public record Context(
            Instant asOf,
            Map<String, Span> trail,
            Map<String, Boolean> exists,
            Set<String> inventoried,
            Set<String> computedKinds,
            UnitPrices unitPrices) {}

    /** The configured USD per billed unit of a usage kind in a region, and the setting that gives it. */
    public record UnitPrice(BigDecimal usd, String setting) {}

    /** Where a reconciliation line's unit price comes from. */
    @FunctionalInterface
    public interface UnitPrices {
        /** @return the unit price of {@code kind} in {@code region}, or null when none is configured */
        UnitPrice of(String kind, String region);
    }

    private record Key(String month, String account, String region, String kind, String resource)
            implements Comparable<Key> {
        Key group() {
            return new Key(month, account, region, kind, null);
        }

        @Override
        public int compareTo(Key o) {
            int c = 0;
            String[] a = {month, account, region, kind, resource};
            String[] b = {o.month, o.account, o.region, o.kind, o.resource};
            for (int i = 0; i < a.length && c == 0; i++) {
                c = a[i] == null ? (b[i] == null ? 0 : -1) : b[i] == null ? 1 : a[i].compareTo(b[i]);
            }
            return c;
        }
    }

    private static final class Sum {
        BigDecimal quantity = BigDecimal.ZERO;
        BigDecimal usd = BigDecimal.ZERO;
        BigDecimal net = BigDecimal.ZERO;
        boolean netKnown = true;

        void add(BigDecimal q, BigDecimal u, BigDecimal n) {
            quantity = quantity.add(q);
            usd = usd.add(u);
            if (n == null) {
                netKnown = false;
            } else {
                net = net.add(n);
            }
        }
    }

    /** Of several sources for one month, the one compared: CUR 2.0, else legacy CUR, else Cost Explorer. */
    private static final List<String> PREFERENCE = List.of("cur2", "cur-legacy", "cost-explorer");

    /**
     * @param all the stored lines; where a month has lines of more than one source, only the preferred one's
     *     are compared (the same bill read twice must not count twice)
     */
    public Reconciliation reconcile(List<BilledLine> all, List<ComputedLine> computed, Context ctx) {
        Map<String, Integer> best = new TreeMap<>();
        for (BilledLine b : all) {
            int rank = PREFERENCE.indexOf(b.source());
            best.merge(b.month(), rank < 0 ? PREFERENCE.size() : rank, Math::min);
        }
        List<BilledLine> billed = all.stream()
                .filter(b -> {
                    int rank = PREFERENCE.indexOf(b.source());
                    return (rank < 0 ? PREFERENCE.size() : rank) == best.get(b.month());
                })
                .toList();
        Set<String> sources = new TreeSet<>();
        Set<String> months = new TreeSet<>();
        Map<Key, Sum> billedSums = new TreeMap<>();
        Set<Key> groupsWithResources = new TreeSet<>();
        Map<List<String>, Sum> other = new TreeMap<>(Reconciler::compareLists);
        for (BilledLine b : billed) {
            sources.add(b.source());
            months.add(b.month());
            if (!b.usage()) {
                other.computeIfAbsent(
                                java.util.Arrays.asList(
                                        b.month(),
                                        b.account(),
                                        b.region(),
                                        b.service(),
                                        b.usageType(),
                                        b.lineItemType()),
                                k -> new Sum())
                        .add(BigDecimal.ZERO, b.unblendedUsd(), b.netUsd());
                continue;
            }
            String kind = b.usageKind() != null ? b.usageKind() : b.usageType();
            Key group = new Key(b.month(), b.account(), b.region(), kind, null);
            billedSums.computeIfAbsent(group, k -> new Sum()).add(b.quantity(), b.unblendedUsd(), b.netUsd());
            if (b.resourceId() != null && b.usageKind() != null && RESOURCE_KINDS.contains(kind)) {
                Key r = new Key(b.month(), b.account(), b.region(), kind, b.resourceId());
                billedSums.computeIfAbsent(r, k -> new Sum()).add(b.quantity(), b.unblendedUsd(), b.netUsd());
                groupsWithResources.add(group);
            }
        }
        Map<Key, Sum> computedSums = new TreeMap<>();
        for (ComputedLine c : computed) {
            if (!months.contains(c.month())) {
                continue; // no billing data to compare with
            }
            Key group = new Key(c.month(), c.account(), c.region(), c.usageKind(), null);
            computedSums.computeIfAbsent(group, k -> new Sum()).add(c.quantity(), c.usd(), c.usd());
            if (c.resource() != null && groupsWithResources.contains(group)) {
                computedSums
                        .computeIfAbsent(
                                new Key(c.month(), c.account(), c.region(), c.usageKind(), c.resource()),
                                k -> new Sum())
                        .add(c.quantity(), c.usd(), c.usd());
            }
        }
        Set<Key> keys = new TreeSet<>(billedSums.keySet());
        keys.addAll(computedSums.keySet());

        // per group, what its resources explain (billed secrets SecretTrail does not bill)
        Map<Key, Sum> unbilledByGroup = new LinkedHashMap<>();
        Map<Key, Integer> unbilledCount = new LinkedHashMap<>();
        for (Key k : keys) {
            if (k.resource() != null
                    && !computedSums.containsKey(k)
                    && ctx.computedKinds().contains(k.kind())) {
                Sum b = billedSums.get(k);
                unbilledByGroup.computeIfAbsent(k.group(), x -> new Sum()).add(b.quantity, b.usd, b.usd);
                unbilledCount.merge(k.group(), 1, Integer::sum);
            }
        }

        List<Reconciliation.Line> lines = new ArrayList<>();
        for (Key k : keys) {
            Sum b = billedSums.getOrDefault(k, new Sum());
            boolean computes = ctx.computedKinds().contains(k.kind());
            Sum c = computes ? computedSums.getOrDefault(k, new Sum()) : null;
            BigDecimal dq = c == null ? null : b.quantity.subtract(c.quantity);
            BigDecimal du = c == null ? null : b.usd.subtract(c.usd);
            boolean reconciled = c != null && Prices.cents(b.usd).compareTo(Prices.cents(c.usd)) == 0;
            List<String> why = explain(k, b, c, dq, du, reconciled, ctx, unbilledByGroup.get(k), unbilledCount.get(k));
            lines.add(new Reconciliation.Line(
                    k.month(),
                    k.account(),
                    k.region(),
                    k.kind(),
                    k.resource(),
                    plain(b.quantity),
                    plain(b.usd),
                    b.netKnown && billedSums.containsKey(k) ? plain(b.net) : null,
                    c == null ? null : plain(c.quantity),
                    c == null ? null : plain(c.usd),
                    dq == null ? null : plain(dq),
                    du == null ? null : plain(du),
                    reconciled,
                    List.copyOf(why)));
        }
        List<Reconciliation.NonUsage> nonUsage = new ArrayList<>();
        other.forEach((k, s) -> nonUsage.add(new Reconciliation.NonUsage(
                k.get(0),
                k.get(1),
                k.get(2),
                k.get(3),
                k.get(4),
                k.get(5),
                plain(s.usd),
                s.netKnown ? plain(s.net) : null)));
        return new Reconciliation("unblended", List.copyOf(sources), List.copyOf(lines), List.copyOf(nonUsage));
    }

    private static List<String> explain(
            Key k,
            Sum b,
            Sum c,
            BigDecimal dq,
            BigDecimal du,
            boolean reconciled,
            Context ctx,
            Sum unbilled,
            Integer unbilledCount) {
        List<String> why = new ArrayList<>();
        if (c == null) {
            why.add(
                    UsageKinds.KMS_REQUESTS.equals(k.kind()) || UsageKinds.KMS_KEYS.equals(k.kind())
                            ? "the data holds no KMS request SecretTrail could compute this from"
                            : "SecretTrail does not compute usage type " + k.kind());
            return why;
        }
        if (reconciled && dq.abs().compareTo(QUANTITY_EPSILON) <= 0) {
            return why;
        }
        if (k.resource() != null) {
            if (c.quantity.signum() == 0 && c.usd.signum() == 0 && b.usd.signum() != 0) {
                Boolean exists = ctx.exists().get(k.resource());
                if (!ctx.exists().containsKey(k.resource())) {
                    why.add("billed secret unknown to SecretTrail: not in the inventory and named by no stored event");
                } else if (!Boolean.TRUE.equals(exists)) {
                    why.add("SecretTrail does not bill this secret: "
                            + (ctx.inventoried().contains(k.resource()) ? "listed in the inventory but " : "")
                            + "not confirmed to exist (exists=" + exists + ")");
                }
            } else if (b.usd.signum() == 0 && c.usd.signum() != 0) {
                why.add("SecretTrail bills this secret, AWS's data has no line for it");
            }
        } else if (unbilled != null) {
            why.add(unbilledCount + " billed secret" + (unbilledCount == 1 ? "" : "s")
                    + " SecretTrail does not bill: $" + plain(unbilled.usd) + " and "
                    + plain(unbilled.quantity)
                    + " of the quantity");
        }
        if (k.resource() == null && dq.compareTo(QUANTITY_EPSILON) > 0) {
            String outside = outsideView(k.kind(), dq);
            if (outside != null) {
                why.add(outside);
            }
        }
        UnitPrice unit = ctx.unitPrices().of(k.kind(), k.region());
        // the rate of what SecretTrail does bill: the secrets it does not bill are explained above
        BigDecimal rateQuantity = unbilled == null ? b.quantity : b.quantity.subtract(unbilled.quantity);
        BigDecimal rateUsd = unbilled == null ? b.usd : b.usd.subtract(unbilled.usd);
        if (unit != null && rateQuantity.signum() != 0) {
            BigDecimal billedRate = rateUsd.divide(rateQuantity, Prices.MC);
            if (billedRate.subtract(unit.usd()).abs().compareTo(new BigDecimal("0.0000000001")) > 0) {
                why.add("AWS billed $" + plain(billedRate.setScale(10, RoundingMode.HALF_UP)) + " per unit; "
                        + unit.setting() + " gives $" + plain(unit.usd()));
            }
        }
        if (k.resource() != null) {
            return why;
        }
        YearMonth m = YearMonth.parse(k.month());
        Instant start = m.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant end = m.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        Span span = ctx.trail().get(k.account() + "/" + k.region());
        if (span == null) {
            why.add("the trail holds no event of " + k.account() + " in " + k.region());
        } else {
            Instant to = Month.min(end, ctx.asOf());
            Instant from = Month.max(start, span.first());
            Instant last = Month.min(to, span.last());
            long monthDays = Duration.between(start, end).toDays();
            if (span.first().isAfter(start.plus(Duration.ofDays(1)))
                    || span.last().isBefore(to.minus(Duration.ofDays(1)))) {
                long covered = last.isAfter(from) ? Duration.between(from, last).toHours() / 24 : 0;
                why.add("the trail covers " + covered + " of the month's " + monthDays + " days ("
                        + (from.isAfter(last) ? "none" : from + " to " + last) + ")");
            }
        }
        if (ctx.asOf().isBefore(end)) {
            why.add("the month is open: SecretTrail's figures run to asOf " + ctx.asOf()
                    + ", AWS's to its latest export");
        }
        return why;
    }

    /**
     * Why AWS bills more KMS usage than SecretTrail computes, where the cause is known to lie outside what it sees:
     * only the KMS requests Secrets Manager makes for secrets, and only the keys secrets use.
     */
    private static String outsideView(String kind, BigDecimal delta) {
        // key-months are summed from AWS's 10-decimal daily lines: shown to 6 decimals
        BigDecimal more = plain(delta.setScale(6, RoundingMode.HALF_UP));
        if (UsageKinds.KMS_REQUESTS.equals(kind)) {
            return "AWS billed " + more + " KMS requests more than the trail's requests for secrets: KMS"
                    + " requests made for anything else (other services, direct calls) are outside SecretTrail's view,"
                    + " and they use the account's free requests too";
        }
        if (UsageKinds.KMS_KEYS.equals(kind)) {
            return "AWS billed " + more + (more.compareTo(BigDecimal.ONE) == 0 ? " key-month" : " key-months")
                    + " more than the customer managed keys of secrets: keys"
                    + " no secret uses are outside SecretTrail's view";
        }
        return null;
    }

    private static int compareLists(List<String> a, List<String> b) {
        for (int i = 0; i < a.size(); i++) {
            int c = Objects.compare(a.get(i), b.get(i), java.util.Comparator.nullsFirst(String::compareTo));
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    /** Without trailing zeros, never in exponent form. */
    static BigDecimal plain(BigDecimal v) {
        BigDecimal s = v.stripTrailingZeros();
        return s.scale() < 0 ? s.setScale(0) : s;
    }
}
