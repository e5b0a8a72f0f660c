package io.secrettrail.app;

import io.secrettrail.analytics.alerts.FindingImporter;
import io.secrettrail.analytics.alerts.SecurityHubDelivery;
import io.secrettrail.analytics.alerts.SecurityHubSettings;
import io.secrettrail.analytics.store.EventStore;
import io.secrettrail.ingest.aws.AwsClients;
import io.secrettrail.ingest.aws.SecurityHubClient;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;

/**
 * Security Hub wired in: the alerts outbox's Security Hub rows ({@link SecurityHubDelivery}, analytics) imported
 * through the hand-signed BatchImportFindings client (ingest), as each finding's account with the credentials the
 * AWS sources use there ({@code aws.roleName}, {@code aws.role.ACCOUNT}, else the base credentials).
 */
final class SecurityHubImport implements AutoCloseable {
    private final AwsClients aws;
    private final SecurityHubDelivery delivery;

    private SecurityHubImport(AwsClients aws, SecurityHubDelivery delivery) {
        this.aws = aws;
        this.delivery = delivery;
    }

    /** Imports what is due every {@code every}, on its own thread, until closed. */
    static SecurityHubImport start(
            EventStore store, SecurityHubSettings hub, AwsClients aws, Clock clock, Duration every) {
        SecurityHubClient client = SecurityHubClient.of(
                aws, hub.region(), URI.create("https://" + SecurityHubSettings.host(hub.region())), clock);
        return new SecurityHubImport(aws, new SecurityHubDelivery(store, hub, importer(client), clock).start(every));
    }

    /** The client as analytics' importer: still throttled past its attempts is {@link FindingImporter.Throttled}. */
    static FindingImporter importer(SecurityHubClient client) {
        return (account, findings) -> {
            try {
                return client.importFindings(account, findings);
            } catch (SecurityHubClient.SecurityHubException e) {
                if (e.throttled()) {
                    throw new FindingImporter.Throttled(e.getMessage());
                }
                throw e;
            }
        };
    }

    @Override
    public void close() {
        delivery.close();
        aws.close();
    }
}
