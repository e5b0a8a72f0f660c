package io.secrettrail.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The process's figures through the Prometheus client keep the names, labels and number format scrapers read. */
class MetricsTest {
    @Test
    void process_figures_keep_their_names_labels_and_whole_numbers() {
        Map<String, Double> gauges = Map.of(
                "secrettrail_consumer_lag_messages",
                0.0,
                "secrettrail_messages_published_total",
                12_000_000.0,
                ProcessProbe.sample("secrettrail_source_up", Map.of("kind", "watch", "source", "a\"b\\c")),
                1.0,
                "secrettrail_report_build_seconds",
                1.5);
        String text = Metrics.process(() -> gauges).scrape();
        assertThat(text)
                .contains("secrettrail_consumer_lag_messages 0\n")
                .contains(
                        "# TYPE secrettrail_messages_published_total counter\nsecrettrail_messages_published_total 12000000\n")
                .contains("secrettrail_source_up{kind=\"watch\",source=\"a\\\"b\\\\c\"} 1\n")
                .contains("secrettrail_report_build_seconds 1.5\n")
                .contains("jvm_memory_used_bytes");
    }

    @Test
    void only_sample_values_lose_their_point_zero() {
        assertThat(Metrics.wholeNumbers("# HELP x 1.0\nx{le=\"1.0\"} 3.0\ny +Inf\nz NaN\nw 0.25"))
                .isEqualTo("# HELP x 1.0\nx{le=\"1.0\"} 3\ny +Inf\nz NaN\nw 0.25");
    }
}
