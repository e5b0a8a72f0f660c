package io.secrettrail.ingest.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.secrettrail.core.Json;
import io.secrettrail.core.RetryPolicy;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;

/**
 * Security Hub's {@code BatchImportFindings}: {@code POST /findings/import} with {@code {"Findings":[ASFF...]}},
 * answered {@code {"FailedCount":n,"SuccessCount":n,"FailedFindings":[{"Id","ErrorCode","ErrorMessage"}]}}.
 * Security Hub takes a finding only from the account named in its {@code AwsAccountId} (for a custom
 * integration's default product), so each account's findings are imported with that account's credentials:
 * the role assumed there ({@code aws.roleName}, {@code aws.role.ACCOUNT}), as the LookupEvents and ListSecrets
 * clients do ({@link AwsClients#credentialsFor}).
 *
 * <p>Why not the SDK's {@code securityhub} module: it does not resolve from the registry this project builds
 * against. This is the same REST-JSON call on the SDK pieces that are here ({@link SignedPost}: the SDK's SigV4
 * signer, signing name {@code securityhub}, its HTTP client and credentials). Shapes:
 * https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_BatchImportFindings.html.
 *
 * <p>At most {@link #MAX_BATCH} findings per request (AWS's limit). Throttling ({@code 429},
 * {@code TooManyRequestsException}, {@code ThrottlingException}) and 5xx are retried after the
 * {@code Retry-After} the answer gives, else with exponential backoff and jitter, at most {@code aws.maxAttempts}
 * attempts per request; past them, or on any other error, the call fails and the caller keeps the findings for later.
 */
public final class SecurityHubClient {
    /** BatchImportFindings takes at most 100 findings a request. */
    public static final int MAX_BATCH = 100;

    static final int MAX_BODY = 4 * 1024 * 1024;
    private static final ObjectMapper JSON = Json.mapper();
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(SecurityHubClient.class);

    private final URI endpoint;
    private final String region;
    private final java.util.function.Function<String, AwsCredentialsProvider> credentials;
    private final SdkHttpClient http;
    private final int maxAttempts;
    private final RetryPolicy backoff;
    private final CostExplorerClient.Sleeper sleeper;

    /**
     * @param endpoint {@code https://securityhub.REGION.amazonaws.com}, or {@code aws.endpoint.securityhub}
     * @param credentials per account, what to sign its requests with
     */
    public SecurityHubClient(
            URI endpoint,
            String region,
            java.util.function.Function<String, AwsCredentialsProvider> credentials,
            SdkHttpClient http,
            int maxAttempts,
            RetryPolicy backoff,
            CostExplorerClient.Sleeper sleeper) {
        this.endpoint = endpoint;
        this.region = region;
        this.credentials = credentials;
        this.http = http;
        this.maxAttempts = maxAttempts;
        this.backoff = backoff;
        this.sleeper = sleeper;
    }

    /**
     * Built from the AWS clients' per-account credentials, HTTP client and settings; waits on the real clock.
     *
     * @param endpoint Security Hub's in {@code region}; {@code aws.endpoint.securityhub} wins over it
     */
    public static SecurityHubClient of(AwsClients clients, String region, URI endpoint, Clock clock) {
        URI e = clients.config().endpoint("securityhub");
        return new SecurityHubClient(
                e != null ? e : endpoint,
                region,
                account -> clients.credentialsFor(account, region),
                clients.http(),
                clients.config().maxAttempts(),
                SignedPost.backoff(clock),
                d -> Thread.sleep(d.toMillis()));
    }

    /** A Security Hub error that is not retried, or the last of the attempts. */
    public static final class SecurityHubException extends IOException {
        private final boolean throttled;

        SecurityHubException(String message) {
            this(message, false);
        }

        SecurityHubException(String message, boolean throttled) {
            super(message);
            this.throttled = throttled;
        }

        /** Whether Security Hub was still throttling at the last attempt (the findings are to wait, not drop). */
        public boolean throttled() {
            return throttled;
        }
    }

    /**
     * Imports one account's findings as that account, {@link #MAX_BATCH} a request.
     *
     * @return the refused findings by Id: "ErrorCode: ErrorMessage"
     */
    public Map<String, String> importFindings(String account, List<? extends JsonNode> findings)
            throws IOException, InterruptedException {
        Map<String, String> failed = new LinkedHashMap<>();
        AwsCredentialsProvider signer = credentials.apply(account);
        for (int from = 0; from < findings.size(); from += MAX_BATCH) {
            ObjectNode body = JSON.createObjectNode();
            ArrayNode batch = body.putArray("Findings");
            findings.subList(from, Math.min(findings.size(), from + MAX_BATCH)).forEach(batch::add);
            JsonNode answer = call(signer, JSON.writeValueAsBytes(body), account);
            for (JsonNode f : answer.path("FailedFindings")) {
                failed.put(
                        f.path("Id").asText(),
                        f.path("ErrorCode").asText("Unknown") + ": "
                                + f.path("ErrorMessage").asText(""));
            }
        }
        return failed;
    }

    private JsonNode call(AwsCredentialsProvider signer, byte[] body, String account)
            throws IOException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            SignedPost.Answer a;
            try {
                a = SignedPost.post(
                        http,
                        signer,
                        endpoint.resolve("/findings/import"),
                        Map.of("Content-Type", "application/json"),
                        body,
                        "securityhub",
                        region,
                        MAX_BODY);
            } catch (SignedPost.TooLarge e) {
                throw new SecurityHubException("Security Hub " + e.getMessage());
            } catch (IOException | RuntimeException e) {
                if (attempt >= maxAttempts) {
                    throw new SecurityHubException("Security Hub could not be reached: " + e.getMessage() + " (after "
                            + attempt + " attempts)");
                }
                sleeper.sleep(backoff.delay(attempt));
                continue;
            }
            JsonNode json = json(a.body());
            if (a.status() == 200 && json != null && json.isObject()) {
                return json;
            }
            String code = errorCode(a, json);
            String message = json == null
                    ? "a body that is not JSON"
                    : json.path("Message").asText(json.path("message").asText(""));
            boolean throttled = a.status() == 429 || AwsFailure.THROTTLING.contains(code);
            boolean retry = throttled || a.status() >= 500;
            if (!retry || attempt >= maxAttempts) {
                throw new SecurityHubException(
                        "Security Hub said " + code + " (HTTP " + a.status() + ") to account " + account + ": "
                                + message + (retry ? " (after " + attempt + " attempts)" : ""),
                        throttled);
            }
            int failures = attempt;
            Duration wait =
                    a.header("Retry-After").map(SecurityHubClient::seconds).orElseGet(() -> backoff.delay(failures));
            log.info("Security Hub throttled account {} ({}): waiting {} ms", account, code, wait.toMillis());
            sleeper.sleep(wait);
        }
    }

    private static Duration seconds(String v) {
        try {
            return Duration.ofSeconds(Math.max(0, Math.min(300, Long.parseLong(v.trim()))));
        } catch (NumberFormatException e) {
            return Duration.ofSeconds(1);
        }
    }

    private static JsonNode json(byte[] body) {
        if (body.length == 0) {
            return null;
        }
        try {
            return JSON.readTree(new String(body, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return null;
        }
    }

    /** REST-JSON errors name their code in x-amzn-ErrorType, Code or __type, maybe with a suffix. */
    private static String errorCode(SignedPost.Answer a, JsonNode json) {
        BiFunction<JsonNode, String, String> field =
                (j, k) -> j == null ? null : j.path(k).asText(null);
        String t = a.header("x-amzn-ErrorType")
                .orElseGet(() ->
                        field.apply(json, "Code") != null ? field.apply(json, "Code") : field.apply(json, "__type"));
        if (t == null) {
            return "HTTP" + a.status();
        }
        int colon = t.indexOf(':');
        t = colon >= 0 ? t.substring(0, colon) : t;
        int hash = t.lastIndexOf('#');
        return hash >= 0 ? t.substring(hash + 1) : t;
    }
}
