package io.secrettrail.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.secrettrail.analytics.store.EventStore;
import io.secrettrail.ingest.aws.AwsFixtures;
import io.secrettrail.ingest.aws.FakeAws;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18 in the long-running process: with {@code securityhub.enabled}, the runtime serve uses imports the alerts
 * its reports raise into Security Hub, as the secret's account, without anything else configured.
 */
class SecurityHubServeIT {
    static final String ACCOUNT = BillingRefreshServeIT.ACCOUNT;

    @TempDir
    Path dir;

    final FakeAws fake = FakeAws.start();

    @AfterEach
    void close() {
        fake.close();
        AppFixtures.forgetAwsKey();
    }

    @Test
    void serve_imports_the_alerts_of_its_reports_into_security_hub_as_the_secrets_account() throws Exception {
        AppFixtures.useAwsKey(fake, ACCOUNT);
        SettingsOptions settings = new SettingsOptions();
        settings.set.putAll(Map.of(
                "aws.endpoint", fake.endpoint().toString(),
                "securityhub.enabled", "true",
                "securityhub.region", "us-east-1"));
        AppConfig config = AppFixtures.serveConfig(
                dir.resolve("work"), new AwsFixtures.MovingClock(Instant.parse("2026-12-03T12:00:00Z")), settings);
        try (EventStore store = EventStore.open(dir.resolve("secrettrail.duckdb"))) {
            AppFixtures.inventoried(store, BillingRefreshServeIT.ARN);
            try (SecretTrailRuntime rt =
                    SecretTrailRuntime.startOn(config, Set.of(SecretTrailRuntime.Role.WEB), store, () -> true)) {
                await().atMost(Duration.ofSeconds(60))
                        .until(() -> !fake.requests("BatchImportFindings").isEmpty());
                assertThat(fake.requests("BatchImportFindings")).allSatisfy(r -> {
                    assertThat(r.account()).isEqualTo(ACCOUNT);
                    assertThat(r.region()).isEqualTo("us-east-1");
                });
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> fake.securityHub().size(ACCOUNT, "us-east-1") > 0);
            }
        }
    }
}
