package io.secrettrail.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class GeneratorConfigTest {
    private static final Path OUT = Path.of("out");
    private static final Instant END = Instant.parse("2026-11-21T00:00:00Z");

    private static GeneratorConfig.Builder valid() {
        return GeneratorConfig.builder().outputDir(OUT).end(END);
    }

    @Test
    void the_builder_holds_the_defaults_of_the_generate_command() {
        assertThat(valid().build())
                .isEqualTo(new GeneratorConfig(OUT, 7, 60, 2000, 0.5, 42L, END))
                .isEqualTo(GeneratorConfig.defaults(OUT, END));
    }

    @Test
    void every_setting_reaches_its_field() {
        GeneratorConfig config = valid().days(3)
                .secrets(500)
                .eventsPerDay(600)
                .noiseRatio(0.2)
                .seed(11L)
                .build();
        assertThat(config).isEqualTo(new GeneratorConfig(OUT, 3, 500, 600, 0.2, 11L, END));
    }

    @Test
    void the_bounds_of_every_range_are_accepted() {
        assertThat(valid().days(1).secrets(1).eventsPerDay(0).noiseRatio(0.0).build())
                .isNotNull();
        assertThat(valid().days(400)
                        .secrets(1_000_000)
                        .eventsPerDay(50_000_000)
                        .noiseRatio(0.999)
                        .build())
                .isNotNull();
    }

    @Test
    void a_value_just_out_of_range_is_rejected_naming_the_field_and_the_value() {
        assertThatThrownBy(() -> valid().days(0).build()).hasMessage("days must be in 1..400, was 0");
        assertThatThrownBy(() -> valid().days(401).build()).hasMessage("days must be in 1..400, was 401");
        assertThatThrownBy(() -> valid().secrets(0).build()).hasMessage("secrets must be in 1..1000000, was 0");
        assertThatThrownBy(() -> valid().secrets(1_000_001).build())
                .hasMessage("secrets must be in 1..1000000, was 1000001");
        assertThatThrownBy(() -> valid().eventsPerDay(-1).build())
                .hasMessage("eventsPerDay must be in 0..50000000, was -1");
        assertThatThrownBy(() -> valid().eventsPerDay(50_000_001).build())
                .hasMessage("eventsPerDay must be in 0..50000000, was 50000001");
        assertThatThrownBy(() -> valid().noiseRatio(1.0).build()).hasMessage("noiseRatio must be in [0,1), was 1.0");
        assertThatThrownBy(() -> valid().noiseRatio(-0.1).build()).hasMessage("noiseRatio must be in [0,1), was -0.1");
        assertThatThrownBy(() -> valid().noiseRatio(Double.NaN).build())
                .hasMessage("noiseRatio must be in [0,1), was NaN");
    }

    @Test
    void the_output_directory_and_the_end_have_no_default() {
        assertThatThrownBy(() -> GeneratorConfig.builder().end(END).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("outputDir must not be null");
        assertThatThrownBy(() -> GeneratorConfig.builder().outputDir(OUT).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("end must not be null");
    }

    @Test
    void a_file_period_is_a_multiple_of_five_minutes_that_divides_a_day() {
        assertThat(valid().build().fileMinutes()).isEqualTo(5);
        assertThat(valid().fileMinutes(60).build().fileMinutes()).isEqualTo(60);
        assertThat(valid().fileMinutes(1440).build().fileMinutes()).isEqualTo(1440);
        for (int bad : new int[] {0, 4, 7, 35, 1445, 2880}) {
            assertThatThrownBy(() -> valid().fileMinutes(bad).build())
                    .hasMessage("fileMinutes must be a multiple of 5 that divides a day (5..1440), was " + bad);
        }
    }
}
