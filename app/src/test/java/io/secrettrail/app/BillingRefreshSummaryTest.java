package io.secrettrail.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** A billing source's last error names what its import could not read, bounded: the count and the first ten. */
class BillingRefreshSummaryTest {
    private static List<String> problems(int n) {
        return IntStream.rangeClosed(1, n)
                .mapToObj(i -> "object " + i + " skipped")
                .toList();
    }

    @Test
    void up_to_ten_problems_are_all_named() {
        assertThat(BillingRefresh.summary(problems(1))).isEqualTo("object 1 skipped");
        assertThat(BillingRefresh.summary(problems(BillingRefresh.MAX_NAMED)))
                .startsWith("object 1 skipped; object 2 skipped")
                .endsWith("; object 10 skipped")
                .doesNotContain("problems");
    }

    @Test
    void beyond_ten_the_count_and_the_first_ten_are_named() {
        String s = BillingRefresh.summary(problems(5000));

        assertThat(s)
                .startsWith("5000 problems, the first 10: object 1 skipped; ")
                .endsWith("; object 10 skipped");
        assertThat(s).doesNotContain("object 11 ");
        assertThat(s.split("; ")).hasSize(10);
    }
}
