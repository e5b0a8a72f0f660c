package io.secrettrail.ingest.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.secrettrail.core.Json;
import io.secrettrail.core.RetryPolicy;
import io.secrettrail.core.billing.BilledLine;
import io.secrettrail.core.billing.UsageKinds;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;

/**
 * Cost Explorer's {@code GetCostAndUsage} for Secrets Manager and KMS, daily, grouped by usage type and linked
 * account (it takes at most two group-by keys), one query per region, following {@code NextPageToken}. Results
 * become {@link BilledLine}s of source {@code cost-explorer}, summed per month, account, region and usage type;
 * Cost Explorer names no resource, so there is no per-secret line.
 *
 * <p>Why not the SDK's {@code costexplorer} module: it does not resolve from the registry this project builds
 * against. This is the same call on the SDK pieces that are here: the AWS JSON 1.1 protocol
 * ({@code X-Amz-Target: AWSInsightsIndexService.GetCostAndUsage}), SigV4 signed by the SDK's
 * {@link AwsV4HttpSigner} (signing name {@code ce}, region us-east-1), the SDK's HTTP client and credentials.
 * Shapes: https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_GetCostAndUsage.html and
 * https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_ResultByTime.html.
 *
 * <p>Throttle-aware: a throttling answer ({@code LimitExceededException}, HTTP 429) or a server error is retried
 * with exponential backoff and jitter, at most {@code aws.maxAttempts} attempts per request; any other error fails
 * at once, naming Cost Explorer's code and message. A dropped connection is retried like a throttle. An answer that is
 * not JSON, holds a bad Amount (named by its place in the answer), repeats a NextPageToken, runs past
 * {@link #MAX_PAGES} pages or {@link #MAX_BODY} bytes stops the read with a clear error, never a loop. A result whose
 * TimePeriod.Start is missing or not a date cannot be put in a month: it alone is skipped, named by its field, region
 * and page, and the rest is read. Only usage is asked for ({@code RECORD_TYPE = Usage}): credits, refunds and tax are
 * for the CUR, which keeps them apart.
 */
public final class CostExplorerClient {
    public static final URI ENDPOINT = URI.create("https://ce.us-east-1.amazonaws.com");
    private static final String TARGET = "AWSInsightsIndexService.GetCostAndUsage";
    private static final String SIGNING_REGION = "us-east-1";
    private static final ObjectMapper JSON = Json.mapper();
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(CostExplorerClient.class);
    /** At most this many pages per region: a month of daily results by usage type and account is a few. */
    static final int MAX_PAGES = 1000;
    /** At most this many bytes in one answer. */
    static final int MAX_BODY = 16 * 1024 * 1024;

    /** Waits between attempts; tests pass one that records instead of sleeping. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    /** A Cost Explorer error that is not retried, or the last of the attempts. */
    public static final class CostExplorerException extends IOException {
        private final String code;

        CostExplorerException(String code, String message) {
            super(message);
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    private final URI endpoint;
    private final AwsCredentialsProvider credentials;
    private final SdkHttpClient http;
    private final int maxAttempts;
    private final RetryPolicy backoff;
    private final Sleeper sleeper;

    /**
     * @param endpoint {@link #ENDPOINT}, or {@code aws.endpoint.ce}
     * @param maxAttempts {@code aws.maxAttempts}
     * @param backoff the waits after a throttled attempt
     */
    public CostExplorerClient(
            URI endpoint,
            AwsCredentialsProvider credentials,
            SdkHttpClient http,
            int maxAttempts,
            RetryPolicy backoff,
            Sleeper sleeper) {
        this.endpoint = endpoint;
        this.credentials = credentials;
        this.http = http;
        this.maxAttempts = maxAttempts;
        this.backoff = backoff;
        this.sleeper = sleeper;
    }

    /** Built from the AWS clients' credentials, HTTP client and settings; waits on the real clock. */
    public static CostExplorerClient of(AwsClients clients, java.time.Clock clock) {
        URI e = clients.config().endpoint("ce");
        return new CostExplorerClient(
                e == null ? ENDPOINT : e,
                clients.credentials(),
                clients.http(),
                clients.config().maxAttempts(),
                SignedPost.backoff(clock),
                d -> Thread.sleep(d.toMillis()));
    }

    /** The lines read, and one message per result skipped (also logged). */
    public record Usage(List<BilledLine> lines, List<String> skipped) {}

    /**
     * The billed usage of [start, end) per region.
     *
     * @param end exclusive, as Cost Explorer takes it
     */
    public Usage usage(LocalDate start, LocalDate end, List<String> regions) throws IOException, InterruptedException {
        Map<List<String>, BigDecimal[]> sums = new TreeMap<>(CostExplorerClient::compare);
        List<String> skipped = new ArrayList<>();
        for (String region : regions) {
            String token = null;
            Set<String> tokens = new HashSet<>();
            int pages = 0;
            do {
                if (++pages > MAX_PAGES) {
                    throw new CostExplorerException(
                            "TooManyPages", "Cost Explorer gave more than " + MAX_PAGES + " pages for " + region);
                }
                JsonNode page = call(request(start, end, region, token));
                int day = 0;
                for (JsonNode time : page.path("ResultsByTime")) {
                    String where = "ResultsByTime[" + day++ + "]";
                    JsonNode startOf = time.path("TimePeriod").path("Start");
                    String month = month(startOf);
                    if (month == null) {
                        String m = "Cost Explorer's " + where + ".TimePeriod.Start "
                                + (startOf.isMissingNode() || startOf.isNull()
                                        ? "is missing"
                                        : "is not a date: "
                                                + excerpt(startOf.asText("").getBytes(StandardCharsets.UTF_8)))
                                + " (" + region + ", page " + pages + "): the result is skipped";
                        skipped.add(m);
                        log.warn("{}", m);
                        continue;
                    }
                    int group = 0;
                    for (JsonNode g : time.path("Groups")) {
                        String at = where + ".Groups[" + group++ + "].Metrics.";
                        String usageType = g.path("Keys").path(0).asText();
                        String account = g.path("Keys").path(1).asText();
                        BigDecimal usd = amount(g.path("Metrics").path("UnblendedCost"), at + "UnblendedCost.Amount");
                        BigDecimal qty = amount(g.path("Metrics").path("UsageQuantity"), at + "UsageQuantity.Amount");
                        BigDecimal[] acc = sums.computeIfAbsent(List.of(month, account, region, usageType), k ->
                                new BigDecimal[] {BigDecimal.ZERO, BigDecimal.ZERO});
                        acc[0] = acc[0].add(qty);
                        acc[1] = acc[1].add(usd);
                    }
                }
                token = page.hasNonNull("NextPageToken")
                        ? page.get("NextPageToken").asText()
                        : null;
                if (token != null && !tokens.add(token)) {
                    // an endpoint that gives a token again would be followed for ever
                    throw new CostExplorerException(
                            "RepeatedNextPageToken",
                            "Cost Explorer gave the same NextPageToken twice for " + region + " (page " + pages
                                    + "); the read is stopped");
                }
            } while (token != null);
        }
        List<BilledLine> out = new ArrayList<>();
        sums.forEach((k, v) -> {
            String service = k.get(3).toUpperCase(java.util.Locale.ROOT).contains("KMS")
                    ? UsageKinds.KMS
                    : UsageKinds.SECRETS_MANAGER;
            out.add(new BilledLine(
                    "cost-explorer",
                    "GetCostAndUsage",
                    k.get(0),
                    k.get(1),
                    k.get(2),
                    service,
                    k.get(3),
                    UsageKinds.kindOf(service, k.get(3)).orElse(null),
                    BilledLine.USAGE,
                    null,
                    v[0],
                    v[1],
                    null));
        });
        return new Usage(List.copyOf(out), List.copyOf(skipped));
    }

    static ObjectNode request(LocalDate start, LocalDate end, String region, String token) {
        ObjectNode in = JSON.createObjectNode();
        in.putObject("TimePeriod").put("Start", start.toString()).put("End", end.toString());
        in.put("Granularity", "DAILY");
        in.putArray("Metrics").add("UnblendedCost").add("UsageQuantity");
        ArrayNode and = in.putObject("Filter").putArray("And");
        dimension(and, "SERVICE", UsageKinds.SECRETS_MANAGER_SERVICE, UsageKinds.KMS_SERVICE);
        dimension(and, "REGION", region);
        dimension(and, "RECORD_TYPE", "Usage");
        ArrayNode groups = in.putArray("GroupBy");
        groups.addObject().put("Type", "DIMENSION").put("Key", "USAGE_TYPE");
        groups.addObject().put("Type", "DIMENSION").put("Key", "LINKED_ACCOUNT");
        if (token != null) {
            in.put("NextPageToken", token);
        }
        return in;
    }

    private static void dimension(ArrayNode and, String key, String... values) {
        ObjectNode d = and.addObject().putObject("Dimensions");
        d.put("Key", key);
        ArrayNode v = d.putArray("Values");
        for (String s : values) {
            v.add(s);
        }
    }

    private JsonNode call(ObjectNode body) throws IOException, InterruptedException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        for (int attempt = 1; ; attempt++) {
            Answer a;
            try {
                a = send(bytes);
            } catch (CostExplorerException e) {
                throw e;
            } catch (IOException e) {
                // a reset or dropped connection is as passing as a throttle
                if (attempt >= maxAttempts) {
                    throw new CostExplorerException(
                            "ConnectionFailed",
                            "Cost Explorer could not be reached: " + e.getMessage() + " (after " + attempt
                                    + " attempts)");
                }
                sleeper.sleep(backoff.delay(attempt));
                continue;
            }
            JsonNode json = json(a.body());
            if (a.status() == 200) {
                if (json == null || !json.isObject()) {
                    throw new CostExplorerException(
                            "InvalidResponse",
                            "Cost Explorer answered HTTP 200 with a body that is not JSON: " + excerpt(a.body()));
                }
                return json;
            }
            String code = errorCode(a, json);
            String message = json == null
                    ? "a body that is not JSON: " + excerpt(a.body())
                    : json.path("message").asText(json.path("Message").asText(""));
            boolean retry = a.status() == 429 || a.status() >= 500 || AwsFailure.THROTTLING.contains(code);
            if (!retry || attempt >= maxAttempts) {
                throw new CostExplorerException(
                        code,
                        "Cost Explorer said " + code + " (HTTP " + a.status() + "): " + message
                                + (retry ? " (after " + attempt + " attempts)" : ""));
            }
            sleeper.sleep(backoff.delay(attempt));
        }
    }

    /** The body as JSON; an empty body is an empty object; null when it is not JSON. */
    private static JsonNode json(byte[] body) {
        if (body.length == 0) {
            return JSON.createObjectNode();
        }
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    private static String excerpt(byte[] body) {
        String s =
                new String(body, 0, Math.min(body.length, 80), StandardCharsets.UTF_8).replaceAll("[\\p{Cntrl}]", " ");
        return body.length > 80 ? s + "..." : s;
    }

    private record Answer(int status, String errorType, byte[] body) {}

    private Answer send(byte[] body) throws IOException {
        SignedPost.Answer a;
        try {
            a = SignedPost.post(
                    http,
                    credentials,
                    endpoint.resolve("/"),
                    Map.of("X-Amz-Target", TARGET, "Content-Type", "application/x-amz-json-1.1"),
                    body,
                    "ce",
                    SIGNING_REGION,
                    MAX_BODY);
        } catch (SignedPost.TooLarge e) {
            throw new CostExplorerException("ResponseTooLarge", "Cost Explorer " + e.getMessage());
        }
        return new Answer(a.status(), a.header("x-amzn-ErrorType").orElse(null), a.body());
    }

    /** JSON 1.1 errors name their code in x-amzn-ErrorType or __type, either maybe with a namespace or a suffix. */
    private static String errorCode(Answer a, JsonNode json) {
        String t = a.errorType();
        if (t == null && json != null) {
            t = json.path("__type").asText(null);
        }
        if (t == null) {
            return "HTTP" + a.status();
        }
        int colon = t.indexOf(':');
        if (colon >= 0) {
            t = t.substring(0, colon);
        }
        int hash = t.lastIndexOf('#');
        return hash >= 0 ? t.substring(hash + 1) : t;
    }

    private static BigDecimal amount(JsonNode metric, String field) throws CostExplorerException {
        String a = metric.path("Amount").asText("0");
        try {
            return a.isEmpty() ? BigDecimal.ZERO : new BigDecimal(a);
        } catch (NumberFormatException e) {
            throw new CostExplorerException(
                    "InvalidResponse",
                    "Cost Explorer's " + field + " is not a number: " + excerpt(a.getBytes(StandardCharsets.UTF_8)));
        }
    }

    /** The YYYY-MM of a TimePeriod.Start, or null when it is not a real date. */
    private static String month(JsonNode start) {
        if (!start.isTextual()) {
            return null;
        }
        try {
            return YearMonth.from(LocalDate.parse(start.asText())).toString();
        } catch (DateTimeException e) {
            return null;
        }
    }

    private static int compare(List<String> a, List<String> b) {
        for (int i = 0; i < a.size(); i++) {
            int c = a.get(i).compareTo(b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }
}
