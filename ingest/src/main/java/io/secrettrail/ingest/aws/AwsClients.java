package io.secrettrail.ingest.aws;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.client.config.SdkAdvancedClientOption;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * Builds and caches the SDK clients the sources use: one HTTP client for all, the SDK's standard
 * retry strategy (exponential backoff with jitter; throttling errors such as ThrottlingException
 * and S3's 503 SlowDown back off longer) with {@code aws.maxAttempts} attempts, {@link UserAgent#marker()}
 * at the end of every request's user agent, and per account
 * either the base credentials or a role assumed through STS, which the SDK refreshes before it
 * expires.
 */
public final class AwsClients implements AutoCloseable {
    private final AwsConfig config;
    private final AwsCredentialsProvider base;
    private final SdkHttpClient http;
    private final Map<String, AwsCredentialsProvider> perRole = new java.util.HashMap<>();
    private final Map<String, SdkAutoCloseable> clients = new java.util.HashMap<>();
    private final List<AutoCloseable> owned = new ArrayList<>();

    /** With the SDK's default credentials chain. */
    public static AwsClients create(AwsConfig config) {
        return new AwsClients(config, DefaultCredentialsProvider.builder().build());
    }

    /** @param base the credentials used directly, and to assume roles with */
    public AwsClients(AwsConfig config, AwsCredentialsProvider base) {
        this.config = config;
        this.base = base;
        this.http = UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(10))
                .socketTimeout(Duration.ofSeconds(60))
                .build();
    }

    public CloudTrailClient cloudTrail(String account, String region) {
        // Every HTTP attempt, SDK retries included, waits its turn: LookupEvents allows 2 per second per account and
        // region.
        return cached(
                "cloudtrail/" + account + "/" + region,
                () -> configure(
                                CloudTrailClient.builder(),
                                "cloudtrail",
                                region,
                                credentials(config.roleFor(account, region), region),
                                new Pacer(config.lookup().requestsPerSecond()))
                        .build());
    }

    public SecretsManagerClient secretsManager(String account, String region) {
        return cached(
                "secretsmanager/" + account + "/" + region,
                () -> configure(
                                SecretsManagerClient.builder(),
                                "secretsmanager",
                                region,
                                credentials(config.roleFor(account, region), region),
                                null)
                        .build());
    }

    /** The trail bucket's client: its own role when {@code aws.s3.roleArn} is set (log-archive accounts). */
    public S3Client s3() {
        AwsConfig.S3 s = config.s3();
        return cached(
                "s3",
                () -> configure(S3Client.builder(), "s3", s.region(), credentials(s.roleArn(), s.region()), null)
                        .forcePathStyle(s.pathStyle())
                        .build());
    }

    /**
     * A client for the bucket Cost and Usage Report exports are downloaded from ({@code --cur s3://...}): the base
     * credentials, in {@code aws.cur.region}.
     */
    public S3Client curS3() {
        AwsConfig.Billing b = config.billing();
        return cached(
                "s3-cur",
                () -> configure(S3Client.builder(), "s3", b.curRegion(), base, null)
                        .forcePathStyle(b.curPathStyle())
                        .build());
    }

    /** The base credentials (the Cost Explorer client signs with them). */
    public AwsCredentialsProvider credentials() {
        return base;
    }

    /**
     * The credentials SecretTrail acts with in one account: the role assumed there ({@code aws.role.ACCOUNT},
     * {@code aws.roleName}), or the base credentials when none is set.
     */
    public AwsCredentialsProvider credentialsFor(String account, String region) {
        return credentials(config.roleFor(account, region), region);
    }

    /** The one HTTP client of every SDK client here. */
    public SdkHttpClient http() {
        return http;
    }

    /** The configuration the clients were built from. */
    public AwsConfig config() {
        return config;
    }

    /** STS with the base credentials: to assume roles and to learn the default credentials' account. */
    public StsClient sts(String region) {
        return cached(
                "sts/" + region,
                () -> configure(StsClient.builder(), "sts", region, base, null).build());
    }

    private AwsCredentialsProvider credentials(String roleArn, String region) {
        if (roleArn == null) {
            return base;
        }
        synchronized (this) {
            AwsCredentialsProvider known = perRole.get(roleArn);
            if (known != null) {
                return known;
            }
            String r = roleArn;
            StsAssumeRoleCredentialsProvider p = StsAssumeRoleCredentialsProvider.builder()
                    .stsClient(sts(region))
                    .refreshRequest(q -> {
                        q.roleArn(r).roleSessionName(config.sessionName());
                        if (config.externalId() != null) {
                            q.externalId(config.externalId());
                        }
                    })
                    .asyncCredentialUpdateEnabled(false)
                    .build();
            owned.add(p);
            perRole.put(roleArn, p);
            return p;
        }
    }

    private <B extends AwsClientBuilder<B, ?>> B configure(
            B builder, String service, String region, AwsCredentialsProvider credentials, Pacer pacer) {
        ClientOverrideConfiguration.Builder o = ClientOverrideConfiguration.builder()
                .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                        .maxAttempts(config.maxAttempts())
                        .build())
                .apiCallTimeout(Duration.ofMinutes(5))
                // secrettrail/<version> in the user agent: the trail can then tell SecretTrail's own calls apart
                .putAdvancedOption(SdkAdvancedClientOption.USER_AGENT_SUFFIX, UserAgent.marker());
        if (pacer != null) {
            o.addExecutionInterceptor(new ExecutionInterceptor() {
                @Override
                public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
                    try {
                        pacer.acquire();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("interrupted while pacing requests", e);
                    }
                }
            });
        }
        builder.region(Region.of(region)).credentialsProvider(credentials).overrideConfiguration(o.build());
        if (builder instanceof software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder<?, ?> sync) {
            sync.httpClient(http);
        }
        URI endpoint = config.endpoint(service);
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        return builder;
    }

    /** Synchronized and re-entrant: building a client may build the STS client it assumes its role with. */
    @SuppressWarnings("unchecked")
    private synchronized <T extends SdkAutoCloseable> T cached(String key, java.util.function.Supplier<T> make) {
        T c = (T) clients.get(key);
        if (c == null) {
            c = make.get();
            clients.put(key, c);
        }
        return c;
    }

    @Override
    public synchronized void close() {
        for (AutoCloseable c : owned) {
            try {
                c.close();
            } catch (Exception ignored) {
                // closing: nothing left to do with the error
            }
        }
        clients.values().forEach(SdkAutoCloseable::close);
        http.close();
    }
}
