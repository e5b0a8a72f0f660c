package io.secrettrail.analytics.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Issue 12, item 11: the dashboard's cache holds at most its entries and bytes. */
class BoundedCacheTest {
    @Test
    void entries_and_bytes_stay_within_bounds_least_recently_used_out() {
        BoundedCache c = new BoundedCache<String, Object>(3, 1000);
        c.put("a", "A", 100);
        c.put("b", "B", 100);
        c.put("c", "C", 100);
        assertThat(c.get("a")).isEqualTo("A"); // a is now the most recent
        c.put("d", "D", 100);
        assertThat(c.size()).isEqualTo(3);
        assertThat(c.get("b")).isNull();
        c.put("e", "E", 900);
        assertThat(c.bytes()).isLessThanOrEqualTo(1000);
        assertThat(c.get("e")).isEqualTo("E");
        assertThat(c.get("d")).isEqualTo("D");
        assertThat(c.get("a")).isNull();
        assertThat(c.size()).isEqualTo(2);
    }

    @Test
    void a_value_larger_than_the_budget_is_not_kept_and_replacing_a_key_counts_once() {
        BoundedCache c = new BoundedCache<String, Object>(10, 1000);
        c.put("big", "x", 1001);
        assertThat(c.size()).isZero();
        assertThat(c.bytes()).isZero();
        c.put("k", "1", 300);
        c.put("k", "2", 400);
        assertThat(c.size()).isEqualTo(1);
        assertThat(c.bytes()).isEqualTo(400);
        for (int i = 0; i < 100; i++) {
            c.put("key" + i, i, 150);
            assertThat(c.size()).isLessThanOrEqualTo(10);
            assertThat(c.bytes()).isLessThanOrEqualTo(1000);
        }
    }

    record Row(String name, long calls, List<String> tags) {}

    @Test
    void the_footprint_grows_with_the_data_it_holds() {
        long one = Footprint.of(List.of(new Row("a".repeat(100), 1, List.of("team=x"))));
        long thousand = Footprint.of(java.util.stream.IntStream.range(0, 1000)
                .mapToObj(i -> new Row("a".repeat(100), i, List.of("team=x")))
                .toList());
        assertThat(one).isGreaterThan(200);
        assertThat(thousand).isBetween(one * 800, one * 1000);
        assertThat(Footprint.of(new long[1000])).isEqualTo(8016);
    }
}
