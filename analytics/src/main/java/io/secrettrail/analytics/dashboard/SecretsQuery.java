package io.secrettrail.analytics.dashboard;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The secrets table: text (name or ARN, case-insensitive), tag ({@code key} or {@code key=value}),
 * has-alert; sorted by an allowed key; one page. Filtered and sorted on the cached index, so a page
 * builds only its own rows.
 */
final class SecretsQuery {
    static final Set<String> SORTS = Set.of(
            "name",
            "account",
            "region",
            "calls",
            "principals",
            "lastAccessed",
            "lastRotated",
            "projectedUsd",
            "alerts");

    private final PageContext ctx;
    private final SecretIndex index;

    SecretsQuery(PageContext ctx, SecretIndex index) {
        this.ctx = ctx;
        this.index = index;
    }

    Page<SecretRow> secrets(
            Filters f,
            String text,
            String tag,
            Boolean hasAlert,
            String sort,
            boolean descending,
            int page,
            int pageSize)
            throws SQLException {
        if (!SORTS.contains(sort)) {
            throw new IllegalArgumentException("sort: must be one of " + new TreeSet<>(SORTS) + ", was " + sort);
        }
        SecretIndex.Bases b;
        SecretIndex.Stats st;
        try (Connection c = ctx.store().reader()) {
            b = index.bases(c);
            st = index.stats(c, f, b);
        }
        List<SecretIndex.Base> rows = b.rows();
        String needle = text == null ? null : text.toLowerCase(Locale.ROOT);
        List<Integer> kept = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            SecretIndex.Base r = rows.get(i);
            if (!SecretIndex.accepts(f, r)) {
                continue;
            }
            if (needle != null
                    && !r.name().toLowerCase(Locale.ROOT).contains(needle)
                    && !r.arn().toLowerCase(Locale.ROOT).contains(needle)) {
                continue;
            }
            if (tag != null
                    && r.tags().stream().noneMatch(t -> tag.contains("=") ? t.equals(tag) : t.startsWith(tag + "="))) {
                continue;
            }
            if (hasAlert != null && hasAlert == r.alerts().isEmpty()) {
                continue;
            }
            kept.add(i);
        }
        Comparator<Integer> order = switch (sort) {
            case "name" -> Comparator.comparing(i -> rows.get(i).name());
            case "account" ->
                Comparator.comparing(i -> rows.get(i).account(), Comparator.nullsLast(Comparator.naturalOrder()));
            case "region" ->
                Comparator.comparing(i -> rows.get(i).region(), Comparator.nullsLast(Comparator.naturalOrder()));
            case "calls" -> Comparator.comparingLong(i -> st.calls()[i]);
            case "principals" -> Comparator.comparingLong(i -> st.principals()[i]);
            case "lastAccessed" ->
                Comparator.comparing(i -> st.lastRead()[i], Comparator.nullsFirst(Comparator.naturalOrder()));
            case "lastRotated" ->
                Comparator.comparing(i -> rows.get(i).lastRotated(), Comparator.nullsFirst(Comparator.naturalOrder()));
            case "projectedUsd" -> Comparator.comparing(i -> rows.get(i).projected());
            default -> Comparator.comparingInt(i -> rows.get(i).alerts().size());
        };
        // rows are in ARN order, so the index breaks ties as the ARN did
        order = (descending ? order.reversed() : order).thenComparingInt(i -> i);
        kept.sort(order);
        Page<Integer> p = Page.of(kept, page, pageSize);
        List<SecretRow> items = new ArrayList<>(p.items().size());
        for (int i : p.items()) {
            items.add(
                    SecretIndex.row(rows.get(i), st.calls()[i], st.errors()[i], st.principals()[i], st.lastRead()[i]));
        }
        return new Page<>(List.copyOf(items), p.page(), p.pageSize(), p.total());
    }
}
