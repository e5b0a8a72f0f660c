package io.secrettrail.generator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The planted attack scenarios: each in the trail with its truth, placed by the span, seeded. */
class AttackScenariosTest {
    private static final Instant END = Instant.parse("2026-11-21T00:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path shared;

    static JsonNode scenarios;
    static Map<String, JsonNode> byEventId;

    static GeneratorConfig threeWeeks(Path out, long seed) {
        return GeneratorConfig.builder()
                .outputDir(out)
                .end(END)
                .days(21)
                .secrets(60)
                .eventsPerDay(200)
                .noiseRatio(0.2)
                .seed(seed)
                .scenarios(true)
                .build();
    }

    @BeforeAll
    static void generateOnce() throws IOException {
        GenerationSummary s = new TrailGenerator(threeWeeks(shared.resolve("a"), 5L)).generate();
        assertThat(s.skippedScenarios()).isEmpty();
        scenarios = JSON.readTree(s.scenariosFile().toFile());
        byEventId = new HashMap<>();
        for (JsonNode r : records(s.trailDir())) {
            byEventId.put(r.get("eventID").asText(), r);
        }
    }

    static List<JsonNode> records(Path trail) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(trail)) {
            for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
                try (InputStream in = new GZIPInputStream(Files.newInputStream(p))) {
                    JSON.readTree(in).get("Records").forEach(out::add);
                }
            }
        }
        return out;
    }

    static Map<String, List<JsonNode>> incidentsByScenario() {
        Map<String, List<JsonNode>> m = new TreeMap<>();
        scenarios
                .get("incidents")
                .forEach(i -> m.computeIfAbsent(i.get("scenario").asText(), k -> new ArrayList<>())
                        .add(i));
        return m;
    }

    static List<JsonNode> events(JsonNode incident) {
        List<JsonNode> out = new ArrayList<>();
        incident.get("eventIds").forEach(id -> {
            assertThat(byEventId)
                    .as("event %s of %s", id, incident.get("scenario"))
                    .containsKey(id.asText());
            out.add(byEventId.get(id.asText()));
        });
        return out;
    }

    static JsonNode only(String scenario) {
        List<JsonNode> list = incidentsByScenario().get(scenario);
        assertThat(list).as(scenario).hasSize(1);
        return list.get(0);
    }

    @Test
    void a_three_week_trail_holds_every_scenario_once_and_skips_none() {
        assertThat(incidentsByScenario().keySet())
                .containsExactly(
                        "access-denied-burst",
                        "bulk-retrieval",
                        "bulk-retrieval-repeat",
                        "catch-all-batch",
                        "deleted-secret-read",
                        "first-seen-principal",
                        "logging-stopped",
                        "public-policy");
        assertThat(scenarios.get("skipped")).isEmpty();
        assertThat(scenarios.get("asOf").asText()).isEqualTo(END.toString());
    }

    @Test
    void bulk_retrieval_is_22_reads_in_six_minutes_by_one_role_twice_two_weeks_apart() {
        JsonNode first = only("bulk-retrieval");
        JsonNode again = only("bulk-retrieval-repeat");
        assertThat(first.get("subject")).isEqualTo(again.get("subject"));
        assertThat(Instant.parse(again.get("firstHit").asText()))
                .isEqualTo(Instant.parse(first.get("firstHit").asText()).plusSeconds(14 * 86_400L));
        for (JsonNode i : List.of(first, again)) {
            List<JsonNode> reads = events(i);
            assertThat(reads).hasSize(22);
            assertThat(reads).allSatisfy(r -> {
                assertThat(r.get("eventName").asText()).isEqualTo("GetSecretValue");
                assertThat(r.has("errorCode")).isFalse();
                assertThat(r.at("/userIdentity/sessionContext/sessionIssuer/arn")
                                .asText())
                        .isEqualTo(i.get("subject").asText());
            });
            assertThat(reads.stream()
                            .map(r -> r.at("/requestParameters/secretId").asText()))
                    .doesNotHaveDuplicates();
            assertThat(reads.get(0).get("eventTime").asText())
                    .isEqualTo(i.get("firstHit").asText());
            assertThat(reads.get(21).get("eventTime").asText())
                    .isEqualTo(i.get("lastHit").asText());
            assertThat(i.get("counts").get("secrets").asLong()).isEqualTo(22);
        }
    }

    @Test
    void the_catch_all_batch_follows_a_stop_logging_by_the_same_user() {
        JsonNode stop = only("logging-stopped");
        JsonNode sweep = only("catch-all-batch");
        JsonNode stopRecord = events(stop).get(0);
        assertThat(stopRecord.get("eventSource").asText()).isEqualTo("cloudtrail.amazonaws.com");
        assertThat(stopRecord.get("eventName").asText()).isEqualTo("StopLogging");
        assertThat(stopRecord.at("/requestParameters/name").asText())
                .isEqualTo(stop.get("subject").asText());
        assertThat(stopRecord.at("/userIdentity/arn").asText())
                .isEqualTo(sweep.get("subject").asText());
        assertThat(Instant.parse(sweep.get("firstHit").asText()))
                .isAfter(Instant.parse(stop.get("firstHit").asText()));
        List<JsonNode> batches = events(sweep);
        assertThat(batches).hasSize(5).allSatisfy(b -> {
            assertThat(b.get("eventName").asText()).isEqualTo("BatchGetSecretValue");
            assertThat(b.at("/requestParameters/filters/0/values/0").asText()).isEqualTo("!tagKeyThatWillNeverExist");
            assertThat(b.at("/requestParameters/secretIdList").isMissingNode()).isTrue();
        });
        assertThat(sweep.get("counts").get("matchAll").asBoolean()).isTrue();
    }

    @Test
    void the_access_denied_burst_is_25_refusals_within_the_hour() {
        JsonNode burst = only("access-denied-burst");
        List<JsonNode> calls = events(burst);
        assertThat(calls).hasSize(25).allSatisfy(c -> {
            assertThat(c.get("errorCode").asText()).isEqualTo("AccessDenied");
            assertThat(c.get("errorMessage").asText()).contains("is not authorized to perform");
        });
        long span = Instant.parse(burst.get("lastHit").asText()).getEpochSecond()
                - Instant.parse(burst.get("firstHit").asText()).getEpochSecond();
        assertThat(span).isLessThan(3600);
    }

    @Test
    void the_public_policy_grants_everyone_without_a_condition() throws IOException {
        JsonNode put = events(only("public-policy")).get(0);
        assertThat(put.get("eventName").asText()).isEqualTo("PutResourcePolicy");
        JsonNode policy =
                JSON.readTree(put.at("/requestParameters/resourcePolicy").asText());
        assertThat(policy.at("/Statement/0/Principal").asText()).isEqualTo("*");
        assertThat(policy.at("/Statement/0/Condition").isMissingNode()).isTrue();
        assertThat(put.at("/responseElements/arn").asText())
                .isEqualTo(only("public-policy").get("subject").asText());
    }

    @Test
    void the_first_seen_read_comes_eight_days_after_the_secrets_history_opens() {
        JsonNode i = only("first-seen-principal");
        JsonNode read = events(i).get(0);
        assertThat(read.get("eventName").asText()).isEqualTo("GetSecretValue");
        assertThat(i.get("counts").get("historyDays").asLong()).isEqualTo(8);
        assertThat(i.get("subject").asText())
                .isEqualTo(i.get("principal").asText() + " " + i.get("secret").asText());
    }

    @Test
    void the_deleted_secret_is_read_after_its_delete_and_refused_as_marked_for_deletion() {
        JsonNode i = only("deleted-secret-read");
        List<JsonNode> reads = events(i);
        assertThat(reads)
                .hasSize(2)
                .allSatisfy(r -> assertThat(r.get("errorMessage").asText()).contains("marked for deletion"));
        Instant deleted = byEventId.values().stream()
                .filter(r -> r.get("eventName").asText().equals("DeleteSecret")
                        && !r.has("errorCode")
                        && i.get("secret")
                                .asText()
                                .equals(r.at("/responseElements/aRN").asText()))
                .map(r -> Instant.parse(r.get("eventTime").asText()))
                .findFirst()
                .orElseThrow();
        assertThat(Instant.parse(i.get("firstHit").asText())).isEqualTo(deleted.plusSeconds(3600));
    }

    @Test
    void each_batch_by_id_list_has_one_generated_entry_per_listed_secret_with_its_own_ids() {
        JsonNode batchReads = scenarios.get("batchReads");
        List<JsonNode> batches = new ArrayList<>();
        batchReads.get("batchEventIds").forEach(id -> batches.add(byEventId.get(id.asText())));
        assertThat(batches).hasSize(3);
        JsonNode secrets = batchReads.get("secrets");
        assertThat(secrets.size()).isBetween(2, 4);
        for (JsonNode s : secrets) {
            assertThat(s.get("batches").asInt()).isEqualTo(3);
            assertThat(s.get("entryEventIds")).hasSize(3);
            // Every entry is a read and the batch adds none, so the total is at least the entries.
            assertThat(s.get("reads").asLong()).isGreaterThanOrEqualTo(3);
        }
        for (JsonNode b : batches) {
            assertThat(b.get("eventName").asText()).isEqualTo("BatchGetSecretValue");
            assertThat(b.at("/requestParameters/secretIdList")).hasSize(secrets.size());
            List<JsonNode> entries = byEventId.values().stream()
                    .filter(r -> r.get("eventName").asText().equals("GetSecretValue")
                            && r.get("eventTime").equals(b.get("eventTime"))
                            && r.get("userIdentity").equals(b.get("userIdentity")))
                    .toList();
            assertThat(entries).hasSize(secrets.size()).allSatisfy(e -> {
                assertThat(e.get("sourceIPAddress")).isEqualTo(b.get("sourceIPAddress"));
                assertThat(e.get("userAgent")).isEqualTo(b.get("userAgent"));
                assertThat(e.get("requestID")).isNotEqualTo(b.get("requestID"));
                assertThat(e.get("eventID")).isNotEqualTo(b.get("eventID"));
            });
            List<String> listed = new ArrayList<>();
            b.at("/requestParameters/secretIdList").forEach(id -> listed.add(id.asText()));
            assertThat(entries.stream()
                            .map(e -> e.at("/requestParameters/secretId").asText()))
                    .containsExactlyInAnyOrderElementsOf(listed);
            assertThat(entries.stream().map(e -> e.get("requestID").asText())).doesNotHaveDuplicates();
        }
    }

    @Test
    void the_same_seed_plants_the_same_scenarios_and_another_seed_others(@TempDir Path dir) throws IOException {
        byte[] a = Files.readAllBytes(shared.resolve("a").resolve("scenarios.json"));
        byte[] again = Files.readAllBytes(
                new TrailGenerator(threeWeeks(dir.resolve("b"), 5L)).generate().scenariosFile());
        byte[] other = Files.readAllBytes(
                new TrailGenerator(threeWeeks(dir.resolve("c"), 6L)).generate().scenariosFile());
        assertThat(again).isEqualTo(a);
        assertThat(other).isNotEqualTo(a);
    }

    @Test
    void a_week_skips_the_repeat_and_the_first_seen_read_and_says_why(@TempDir Path dir) throws IOException {
        GenerationSummary s = new TrailGenerator(GeneratorConfig.builder()
                        .outputDir(dir)
                        .end(END)
                        .days(7)
                        .secrets(60)
                        .eventsPerDay(200)
                        .scenarios(true)
                        .build())
                .generate();
        assertThat(s.skippedScenarios())
                .containsExactly(
                        "bulk-retrieval-repeat: needs a trail of 16 days to repeat two weeks later; the trail spans 7"
                                + " days",
                        "first-seen-principal: needs a trail of 9 days, for 7 days of history; the trail spans 7 days");
        JsonNode truth = JSON.readTree(s.scenariosFile().toFile());
        List<String> planted = new ArrayList<>();
        truth.get("incidents").forEach(i -> planted.add(i.get("scenario").asText()));
        assertThat(planted)
                .doesNotContain("bulk-retrieval-repeat", "first-seen-principal")
                .contains("bulk-retrieval");
        assertThat(truth.get("skipped")).hasSize(2);
    }

    @Test
    void fifteen_days_is_one_day_short_of_the_repeat_and_sixteen_fit(@TempDir Path dir) throws IOException {
        for (int days : new int[] {15, 16}) {
            GenerationSummary s = new TrailGenerator(GeneratorConfig.builder()
                            .outputDir(dir.resolve("d" + days))
                            .end(END)
                            .days(days)
                            .secrets(60)
                            .eventsPerDay(50)
                            .scenarios(true)
                            .build())
                    .generate();
            assertThat(s.skippedScenarios().stream().anyMatch(k -> k.startsWith("bulk-retrieval-repeat:")))
                    .as("%d days", days)
                    .isEqualTo(days == 15);
        }
    }

    @Test
    void scenarios_off_writes_no_scenario_file(@TempDir Path dir) throws IOException {
        GenerationSummary s = new TrailGenerator(GeneratorConfig.builder()
                        .outputDir(dir)
                        .end(END)
                        .days(1)
                        .secrets(12)
                        .eventsPerDay(100)
                        .build())
                .generate();
        assertThat(s.scenariosFile()).isNull();
        assertThat(s.skippedScenarios()).isEmpty();
        assertThat(dir.resolve("scenarios.json")).doesNotExist();
    }
}
