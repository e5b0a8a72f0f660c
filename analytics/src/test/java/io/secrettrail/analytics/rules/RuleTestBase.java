package io.secrettrail.analytics.rules;

import static io.secrettrail.analytics.rules.RuleFixture.arn;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A fresh fixture per test and a fixed "now": rules never read the clock. */
public abstract class RuleTestBase {
    public static final Instant AS_OF = Instant.parse("2026-11-21T12:00:00Z");
    public static final String DB = arn("us-east-1", "prod/db");
    protected RuleFixture fx;

    @BeforeEach
    void openFixture() throws Exception {
        fx = new RuleFixture();
    }

    @AfterEach
    void closeFixture() throws Exception {
        fx.close();
    }

    public static Instant daysAgo(long d) {
        return AS_OF.minus(Duration.ofDays(d));
    }
}
