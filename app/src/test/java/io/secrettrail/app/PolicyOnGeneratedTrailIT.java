package io.secrettrail.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.secrettrail.analytics.access.PolicyService;
import io.secrettrail.analytics.store.EventStore;
import io.secrettrail.generator.GenerationSummary;
import io.secrettrail.generator.GeneratorConfig;
import io.secrettrail.generator.TrailGenerator;
import io.secrettrail.ingest.IngestConfig;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Least-privilege policies for every caller of a generated trail with 500 secrets, checked against
 * the (action, resource) pairs read straight from the trail files, independently of ingest.
 */
class PolicyOnGeneratedTrailIT {
    static final Instant END = Instant.parse("2026-11-21T12:00:00Z");
    static final Pattern ARN = Pattern.compile("arn:aws:secretsmanager:([^:]+):(\\d{12}):secret:(.+)");

    @TempDir
    static Path dir;

    @RegisterExtension
    static final TestBroker KAFKA = new TestBroker();

    static GenerationSummary trail;
    static Path db;

    @BeforeAll
    static void analyze() throws Exception {
        trail = new TrailGenerator(GeneratorConfig.builder()
                        .outputDir(dir.resolve("gen"))
                        .days(2)
                        .secrets(500)
                        .eventsPerDay(6000)
                        .noiseRatio(0.2)
                        .seed(11L)
                        .end(END)
                        .build())
                .generate();
        db = dir.resolve("policy.duckdb");
        new AnalyzeJob(TestKafka.isolated(KAFKA.broker()), db)
                .run(new IngestConfig(List.of(trail.trailDir()), List.of(trail.inventoryDir()), 2, 1 << 20), END);
    }

    @Test
    void every_callers_policy_is_valid_json_under_the_limit_and_grants_exactly_what_it_used() throws Exception {
        Map<String, Map<String, Set<String>>> observed = observedPairs();
        assertThat(observed).hasSizeGreaterThan(3);
        int grouped = 0;
        try (EventStore store = EventStore.open(db);
                Connection c = store.reader()) {
            PolicyService service = new PolicyService(c);
            for (var caller : observed.entrySet()) {
                PolicyService.Policy p = service.forPrincipal(caller.getKey(), END, Duration.ofDays(3650));
                JsonNode doc = ReportAssert.JSON.readTree(p.json());
                assertThat(doc.get("Version").asText()).isEqualTo("2012-10-17");
                assertThat(p.chars()).as(caller.getKey()).isLessThanOrEqualTo(PolicyService.MAX_POLICY_CHARS);
                Map<String, Set<String>> granted = granted(doc);
                assertThat(granted.keySet())
                        .as(caller.getKey())
                        .isEqualTo(caller.getValue().keySet());
                if (p.grouped()) {
                    grouped++;
                    // every used pair is still covered, by its ARN or a path wildcard
                    caller.getValue()
                            .forEach((action, resources) ->
                                    resources.forEach(r -> assertThat(granted.get(action).stream()
                                                    .anyMatch(g -> glob(g).matcher(r.replace("-??????", ""))
                                                            .matches()))
                                            .as(caller.getKey() + " " + action + " " + r)
                                            .isTrue()));
                } else {
                    assertThat(granted).as(caller.getKey()).isEqualTo(caller.getValue());
                }
            }
        }
        assertThat(grouped).as("callers whose policy had to be grouped").isPositive();
    }

    /** (principal → action → resources) of successful API calls, read from the gzip trail files. */
    private static Map<String, Map<String, Set<String>>> observedPairs() throws Exception {
        JsonNode truth = ReportAssert.truth(trail.truthFile());
        Map<String, String> byName = new HashMap<>();
        for (JsonNode s : truth.get("secrets")) {
            String arn = s.get("arn").asText();
            var m = ARN.matcher(arn);
            assertThat(m.matches()).isTrue();
            String resource = s.get("resolved").asBoolean() ? arn : arn + "-??????";
            byName.put(m.group(1) + ":" + m.group(2) + ":" + s.get("name").asText(), resource);
            byName.put(arn, resource);
        }
        Map<String, Map<String, Set<String>>> out = new TreeMap<>();
        List<Path> files;
        try (Stream<Path> s = Files.walk(trail.trailDir())) {
            files = s.filter(f -> f.toString().endsWith(".json.gz")).toList();
        }
        for (Path f : files) {
            JsonNode records;
            try (InputStream in = new GZIPInputStream(Files.newInputStream(f))) {
                records = ReportAssert.JSON.readTree(in).get("Records");
            }
            for (JsonNode r : records) {
                JsonNode issuer = r.path("userIdentity")
                        .path("sessionContext")
                        .path("sessionIssuer")
                        .path("arn");
                if (!r.path("eventSource").asText().equals("secretsmanager.amazonaws.com")
                        || r.has("errorCode")
                        || !r.path("eventType").asText().equals("AwsApiCall")
                        || !issuer.isTextual()
                        || Instant.parse(r.path("eventTime").asText()).isAfter(END)) {
                    continue;
                }
                Map<String, Set<String>> actions = out.computeIfAbsent(issuer.asText(), k -> new TreeMap<>());
                String action = r.path("eventName").asText();
                String region = r.path("awsRegion").asText();
                String account = r.path("recipientAccountId").asText();
                JsonNode params = r.path("requestParameters");
                JsonNode id = params.has("secretId") ? params.get("secretId") : params.get("name");
                if (action.equals("BatchGetSecretValue")) {
                    actions.computeIfAbsent(action, k -> new TreeSet<>()).add("*");
                    for (JsonNode each : params.path("secretIdList")) {
                        actions.computeIfAbsent("GetSecretValue", k -> new TreeSet<>())
                                .add(resource(byName, each.asText(), region, account));
                    }
                } else if (id == null || action.equals("ListSecrets") || action.equals("GetRandomPassword")) {
                    actions.computeIfAbsent(action, k -> new TreeSet<>()).add("*");
                } else {
                    String arn = r.path("responseElements").path("arn").asText(null);
                    actions.computeIfAbsent(action, k -> new TreeSet<>())
                            .add(resource(byName, arn != null ? arn : id.asText(), region, account));
                }
            }
        }
        return out;
    }

    private static String resource(Map<String, String> byName, String id, String region, String account) {
        if (byName.containsKey(id)) {
            return byName.get(id);
        }
        var m = ARN.matcher(id);
        String key = m.matches() ? m.group(1) + ":" + m.group(2) + ":" + m.group(3) : region + ":" + account + ":" + id;
        assertThat(byName).as("a secret of the truth named " + id).containsKey(key);
        return byName.get(key);
    }

    private static Map<String, Set<String>> granted(JsonNode doc) {
        Map<String, Set<String>> out = new TreeMap<>();
        for (JsonNode st : doc.get("Statement")) {
            assertThat(st.get("Effect").asText()).isEqualTo("Allow");
            List<String> actions = st.get("Action").isArray()
                    ? stream(st.get("Action"))
                    : List.of(st.get("Action").asText());
            List<String> resources = st.get("Resource").isArray()
                    ? stream(st.get("Resource"))
                    : List.of(st.get("Resource").asText());
            for (String a : actions) {
                assertThat(a).startsWith("secretsmanager:");
                out.computeIfAbsent(a.substring("secretsmanager:".length()), k -> new TreeSet<>())
                        .addAll(resources);
            }
        }
        return out;
    }

    private static List<String> stream(JsonNode array) {
        List<String> out = new java.util.ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static Pattern glob(String resource) {
        StringBuilder re = new StringBuilder();
        for (char ch : resource.toCharArray()) {
            re.append(ch == '*' ? ".*" : ch == '?' ? "." : Pattern.quote(String.valueOf(ch)));
        }
        return Pattern.compile(re.toString());
    }
}
