package io.secrettrail.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.secrettrail.analytics.dashboard.DashboardService;
import io.secrettrail.analytics.live.ReportCache;
import io.secrettrail.analytics.report.ReportSettings;
import io.secrettrail.analytics.store.EventStore;
import io.secrettrail.generator.GenerationSummary;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every endpoint on a real Javalin (port 0) over a real DuckDB file loaded from a generated trail. */
class DashboardApiIT {
    static final String TOKEN = "correct-horse-battery-staple";
    static final HttpClient HTTP =
            HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @TempDir
    static Path dir;

    static GenerationSummary trail;
    static EventStore store;
    static ReportCache reports;
    static WebServer open;
    static WebServer locked;
    static JsonNode truth;

    @BeforeAll
    static void start() throws Exception {
        trail = TestData.generate(dir.resolve("gen"));
        truth = TestData.JSON.readTree(trail.truthFile().toFile());
        store = EventStore.open(dir.resolve("web.duckdb"));
        TestData.load(store, trail);
        Clock clock = Clock.fixed(TestData.END, ZoneOffset.UTC);
        reports = new ReportCache(store, ReportSettings.defaults(), () -> TestData.END)
                .start(Duration.ofSeconds(1), clock);
        DashboardService service = new DashboardService(store, reports);
        open = WebServer.start(
                new WebConfig("127.0.0.1", 0),
                service,
                ReportSettings.defaults().rules(),
                clock);
        locked = WebServer.start(
                new WebConfig("0.0.0.0", 0, TOKEN),
                service,
                ReportSettings.defaults().rules(),
                clock);
    }

    @AfterAll
    static void stop() throws Exception {
        open.close();
        locked.close();
        reports.close();
        store.close();
    }

    static HttpResponse<String> get(WebServer s, String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + path));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(String path) throws Exception {
        HttpResponse<String> r = get(open, path);
        assertThat(r.statusCode()).as(path + " " + r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        return TestData.JSON.readTree(r.body());
    }

    static HttpResponse<String> post(WebServer s, String path, String contentType, String body, String... headers)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + path))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static void assertError(HttpResponse<String> r, int status, String code) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        JsonNode e = TestData.JSON.readTree(r.body()).get("error");
        assertThat(e.get("status").asInt()).isEqualTo(status);
        assertThat(e.get("code").asText()).isEqualTo(code);
        assertThat(e.get("message").asText()).isNotBlank();
    }

    /** Every secret of the API, all pages. */
    static List<JsonNode> allSecrets(String query) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (int page = 1; ; page++) {
            JsonNode p = json("/api/v1/secrets?pageSize=7&page=" + page + query);
            p.get("items").forEach(out::add);
            if (out.size() >= p.get("total").asInt()) {
                return out;
            }
            assertThat(p.get("items").size()).isEqualTo(7);
        }
    }

    @Test
    void secrets_calls_match_the_generated_truth_and_pages_cover_everything_once() throws Exception {
        List<JsonNode> all = allSecrets("");
        Set<String> arns = new HashSet<>();
        all.forEach(s -> assertThat(arns.add(s.get("arn").asText()))
                .as("each secret once")
                .isTrue());
        Map<String, Long> calls = new HashMap<>();
        all.forEach(s -> calls.put(s.get("arn").asText(), s.get("calls").asLong()));
        for (JsonNode t : truth.get("secrets")) {
            assertThat(calls.get(t.get("arn").asText()))
                    .as(t.get("arn").asText())
                    .isEqualTo(t.get("calls").asLong());
        }
        assertThat(arns).hasSize(truth.get("secrets").size() + 1).contains(TestData.HOSTILE_ARN);
        // sorted by calls, descending, by default
        for (int i = 1; i < all.size(); i++) {
            assertThat(all.get(i - 1).get("calls").asLong())
                    .isGreaterThanOrEqualTo(all.get(i).get("calls").asLong());
        }
        JsonNode o = json("/api/v1/overview");
        assertThat(o.get("calls").asLong())
                .isEqualTo(truth.get("ingest").get("secretsManagerEvents").asLong() + 3);
        assertThat(o.get("secrets").asLong()).isEqualTo(arns.size());
        assertThat(o.get("callsPerDay")).isNotEmpty();
        assertThat(o.get("monthToDateUsd").asText()).matches("\\d+\\.\\d{2}");
    }

    @Test
    void filters_narrow_every_list() throws Exception {
        assertThat(allSecrets("&account=222222222222"))
                .isNotEmpty()
                .allSatisfy(s -> assertThat(s.get("account").asText()).isEqualTo("222222222222"));
        assertThat(allSecrets("&region=eu-west-1"))
                .allSatisfy(s -> assertThat(s.get("region").asText()).isEqualTo("eu-west-1"));
        assertThat(allSecrets("&q=SCRIPT"))
                .extracting(s -> s.get("arn").asText())
                .containsExactly(TestData.HOSTILE_ARN);
        List<JsonNode> alerted = allSecrets("&hasAlert=true");
        assertThat(alerted)
                .isNotEmpty()
                .allSatisfy(s -> assertThat(s.get("alerts")).isNotEmpty());
        assertThat(allSecrets("&hasAlert=false"))
                .allSatisfy(s -> assertThat(s.get("alerts")).isEmpty());
        String someTag = allSecrets("").stream()
                .flatMap(
                        s -> java.util.stream.StreamSupport.stream(s.get("tags").spliterator(), false))
                .map(JsonNode::asText)
                .findFirst()
                .orElseThrow();
        assertThat(allSecrets("&tag=" + Pages.enc(someTag)))
                .isNotEmpty()
                .allSatisfy(s -> assertThat(s.get("tags").toString()).contains(someTag));
        // a day range: only that day's calls
        JsonNode day = json("/api/v1/overview?from=2026-11-21&to=2026-11-21");
        assertThat(day.get("callsPerDay"))
                .allSatisfy(d -> assertThat(d.get("day").asText()).isEqualTo("2026-11-21"));
        JsonNode all = json("/api/v1/overview");
        assertThat(day.get("calls").asLong())
                .isPositive()
                .isLessThan(all.get("calls").asLong());
        JsonNode sortedByName = json("/api/v1/secrets?sort=name&dir=asc&pageSize=1000");
        List<String> names = new ArrayList<>();
        sortedByName.get("items").forEach(s -> names.add(s.get("name").asText()));
        assertThat(names).isSorted();
    }

    @Test
    void bad_parameters_and_unknown_routes_share_one_error_shape() throws Exception {
        assertError(get(open, "/api/v1/secrets?sort=DROP%20TABLE%20events"), 400, "bad_request");
        assertError(get(open, "/api/v1/secrets?account=12"), 400, "bad_request");
        assertError(get(open, "/api/v1/secrets?pageSize=0"), 400, "bad_request");
        assertError(get(open, "/api/v1/secrets?days=0"), 400, "bad_request");
        assertError(get(open, "/api/v1/alerts?status=gone"), 400, "bad_request");
        assertError(get(open, "/api/v1/secrets?from=yesterday"), 400, "bad_request");
        assertError(
                get(open, "/api/v1/secrets/arn:aws:secretsmanager:us-east-1:111111111111:secret:nope-AAAAAA"),
                404,
                "not_found");
        assertError(get(open, "/api/v1/nothing-here"), 404, "not_found");
        assertThat(json("/api/v1/secrets").get("total").asInt()).isPositive(); // the store survived the sort attempt
    }

    @Test
    void an_arn_with_every_allowed_punctuation_mark_round_trips() throws Exception {
        JsonNode d = json("/api/v1/secrets/" + Pages.arnPath(TestData.HOSTILE_ARN));
        assertThat(d.get("secret").get("arn").asText()).isEqualTo(TestData.HOSTILE_ARN);
        assertThat(d.get("secret").get("calls").asLong()).isEqualTo(3);
        assertThat(d.get("principals").get(0).get("principal").asText()).isEqualTo(TestData.HOSTILE_ROLE);
        assertThat(d.get("principals").get(0).get("userAgents").get(0).asText()).isEqualTo(TestData.HOSTILE_UA);
        assertThat(d.get("rolesThatNeedIt").get(TestData.HOSTILE_ROLE).toString())
                .contains("secretsmanager:GetSecretValue");
        JsonNode p = json("/api/v1/principals/" + Pages.arnPath(TestData.HOSTILE_ROLE));
        assertThat(p.get("policy").get("Statement").toString())
                .contains(TestData.HOSTILE_ARN.replace("/", "\\/").replace("\\/", "/"));
        assertThat(json("/api/v1/access?secret=" + Pages.enc(TestData.HOSTILE_ARN))
                        .get("items"))
                .hasSize(1);
    }

    @Test
    void every_endpoint_answers() throws Exception {
        JsonNode status = json("/api/v1/status");
        assertThat(status.get("version").asLong()).isPositive();
        assertThat(status.get("reportVersion").asLong())
                .isEqualTo(status.get("version").asLong());
        assertThat(json("/api/v1/principals").get("items")).isNotEmpty();
        assertThat(json("/api/v1/access?pageSize=5").get("items")).hasSize(5);
        assertThat(json("/api/v1/alerts").get("total").asInt()).isPositive();
        assertThat(json("/api/v1/cost").get("monthToDateUsd").decimalValue()).isPositive();
        // every shipped rule, logging-stopped and trail-silent included
        // budget (issue 15) the 18th; issue 17: replica-region-not-allowed, cmk-required, required-tags,
        // rotation-schedule-too-long
        assertThat(json("/api/v1/rules")).hasSize(23);
        assertThat(json("/api/v1/rules").findValuesAsText("id"))
                .hasSameElementsAs(io.secrettrail.analytics.rules.RuleCatalog.load().all().stream()
                        .map(io.secrettrail.analytics.rules.Rule::id)
                        .toList())
                .contains("logging-stopped", "trail-silent");
        assertThat(json("/api/v1/report").get("schemaVersion").asInt()).isEqualTo(1);
        JsonNode openapi = json("/api/openapi.json");
        assertThat(openapi.get("paths").has("/api/v1/secrets/{arn}")).isTrue();
        assertThat(get(open, "/api/docs").body())
                .contains("swagger-ui-bundle.js")
                .doesNotContain("<script>");
        assertThat(get(open, "/webjars/swagger-ui/" + WebServer.SWAGGER_VERSION + "/swagger-ui-bundle.js")
                        .statusCode())
                .isEqualTo(200);
        for (String page : List.of(
                "/",
                "/secrets",
                "/principals",
                "/alerts",
                "/cost",
                "/secrets/" + Pages.arnPath(TestData.HOSTILE_ARN),
                "/principals/" + Pages.arnPath(TestData.HOSTILE_ROLE))) {
            HttpResponse<String> r = get(open, page);
            assertThat(r.statusCode()).as(page).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Security-Policy").orElse(""))
                    .contains("script-src 'self'")
                    .doesNotContain("unsafe-inline");
        }
    }

    @Test
    void event_strings_are_escaped_on_every_page() throws Exception {
        for (String page : List.of(
                "/secrets?q=script",
                "/secrets/" + Pages.arnPath(TestData.HOSTILE_ARN),
                "/principals",
                "/principals/" + Pages.arnPath(TestData.HOSTILE_ROLE),
                "/cost",
                "/cost?account=111111111111",
                "/")) {
            String html = get(open, page).body();
            assertThat(html)
                    .as(page)
                    .doesNotContain("<script>alert(1)")
                    .doesNotContain("<img src=x")
                    .doesNotContain("<b>bold");
            assertThat(html.replaceAll("<script src=\"/assets/app.js\" defer></script>", ""))
                    .as(page)
                    .doesNotContain("<script");
        }
        assertThat(get(open, "/secrets/" + Pages.arnPath(TestData.HOSTILE_ARN)).body())
                .contains("&lt;img src=x onerror=alert(2)&gt;")
                .contains("team/&lt;script&gt;alert(1)&lt;/script&gt;+a=b.c@d-e");
    }

    /** Issue 15 §3: the hostile secret and role are lines of the Cost page's secret and principal tables, as text. */
    @Test
    void the_cost_page_lists_the_hostile_secret_and_role_as_text() throws Exception {
        String html = get(open, "/cost?account=111111111111").body();
        assertThat(html)
                .contains(">" + Html.escape(TestData.HOSTILE_ARN) + "</a>")
                .contains("<td>" + Html.escape(TestData.HOSTILE_ROLE) + "</td>")
                .contains("id=\"cost-scope\"");
    }

    /** Issue 15 §3: /api/v1/cost keeps its v1 figures; /api/v1/cost/months applies month, range, account, region. */
    @Test
    void the_cost_months_api_applies_the_filters_and_v1_stays_as_it_was() throws Exception {
        JsonNode v1 = json("/api/v1/cost?account=111111111111");
        assertThat(v1.get("monthToDateUsd")).isEqualTo(json("/api/v1/cost").get("monthToDateUsd"));
        JsonNode all = json("/api/v1/cost/months");
        JsonNode one = json("/api/v1/cost/months?account=111111111111");
        assertThat(all.get("month").asText()).isEqualTo(v1.get("month").asText());
        assertThat(all.get("filtered").asBoolean()).isFalse();
        assertThat(one.get("filtered").asBoolean()).isTrue();
        assertThat(one.get("totalUsd").decimalValue())
                .isPositive()
                .isLessThan(all.get("totalUsd").decimalValue());
        assertThat(one.get("unattributedUsd").isNull()).isTrue();
        assertThat(one.get("bySecret").findValuesAsText("key")).allMatch(k -> k.contains(":111111111111:"));
        assertThat(one.get("byAccount").findValuesAsText("key")).containsExactly("111111111111");
        assertError(get(open, "/api/v1/cost/months?month=2026-13"), 400, "bad_request");
        assertError(get(open, "/api/v1/cost/months?month=1999-01"), 400, "bad_request");
    }

    /** Issue 17 §2: team= narrows the secrets, alerts and cost to the report's team of each secret. */
    @Test
    void a_team_filter_narrows_secrets_alerts_and_cost_and_a_bad_team_name_is_a_400() throws Exception {
        List<JsonNode> secrets = allSecrets("");
        assertThat(secrets).allSatisfy(s -> assertThat(s.get("team").asText()).isNotBlank());
        String team = secrets.stream()
                .map(s -> s.get("team").asText())
                .filter(t -> !t.equals("unowned"))
                .findFirst()
                .orElseThrow();
        Set<String> mine = new HashSet<>();
        secrets.stream()
                .filter(s -> s.get("team").asText().equals(team))
                .forEach(s -> mine.add(s.get("arn").asText()));
        List<JsonNode> only = allSecrets("&team=" + team);
        assertThat(only).extracting(s -> s.get("arn").asText()).containsExactlyInAnyOrderElementsOf(mine);
        assertThat(mine.size()).isLessThan(secrets.size());
        JsonNode alerts = json("/api/v1/alerts?pageSize=1000&team=" + team);
        alerts.get("items").forEach(a -> {
            assertThat(a.get("team").asText()).isEqualTo(team);
            assertThat(mine).contains(a.get("resource").asText());
        });
        JsonNode cost = json("/api/v1/cost/months?team=" + team);
        assertThat(cost.get("filtered").asBoolean()).isTrue();
        assertThat(cost.get("bySecret").findValuesAsText("key")).isNotEmpty().allMatch(mine::contains);
        assertThat(cost.get("totalUsd").decimalValue())
                .isPositive()
                .isLessThan(json("/api/v1/cost/months").get("totalUsd").decimalValue());
        // a team nobody has: nothing, not an error
        assertThat(json("/api/v1/secrets?team=nobody-here").get("total").asInt())
                .isZero();
        assertError(get(open, "/api/v1/secrets?team=%3Cb%3E"), 400, "bad_request");
        assertError(get(open, "/api/v1/alerts?team=a%20b"), 400, "bad_request");
        // billing data is per account and region: the reconciliation refuses a team rather than answer for all
        assertError(get(open, "/api/v1/reconciliation?team=" + team), 400, "team_not_applicable");
        HttpResponse<String> page = get(open, "/secrets?team=" + team);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<th>team</th>").contains("<td class=\"team\">" + team + "</td>");
        assertThat(get(open, "/alerts?team=" + team).body()).contains("<th>team</th>");
    }

    /** Every secret's team, from the secrets API (whose team filter the test above checks). */
    static Map<String, Set<String>> secretsByTeam() throws Exception {
        Map<String, Set<String>> out = new java.util.TreeMap<>();
        for (JsonNode s : allSecrets("")) {
            out.computeIfAbsent(s.get("team").asText(), k -> new HashSet<>())
                    .add(s.get("arn").asText());
        }
        return out;
    }

    static long callsPerDay(JsonNode overview) {
        long n = 0;
        for (JsonNode d : overview.get("callsPerDay")) {
            n += d.get("calls").asLong();
        }
        return n;
    }

    /** Issue 17 §2: the overview's figures under team= are those of the team's secrets, and the teams add up. */
    @Test
    void a_team_filter_narrows_the_overview_to_the_teams_secrets() throws Exception {
        Map<String, Set<String>> teams = secretsByTeam();
        assertThat(teams)
                .as("two teams at least, and secrets no team owns")
                .hasSizeGreaterThan(2)
                .containsKey("unowned");
        JsonNode whole = json("/api/v1/overview");
        assertThat(json("/api/v1/overview?team="))
                .as("an empty team is no filter")
                .isEqualTo(whole);
        long secrets = 0;
        long gone = 0;
        long alerts = 0;
        for (var t : teams.entrySet()) {
            JsonNode o = json("/api/v1/overview?team=" + t.getKey());
            JsonNode rows = json("/api/v1/secrets?pageSize=1000&team=" + t.getKey());
            long calls = 0;
            for (JsonNode r : rows.get("items")) {
                calls += r.get("calls").asLong();
            }
            assertThat(callsPerDay(o))
                    .as(t.getKey() + ": calls per day are its secrets' calls")
                    .isEqualTo(calls);
            assertThat(o.get("topSecrets").findValuesAsText("key")).allMatch(t.getValue()::contains);
            long teamAlerts = json("/api/v1/alerts?pageSize=1000&team=" + t.getKey())
                    .get("total")
                    .asLong();
            long bySeverity = 0;
            for (JsonNode n : o.get("alertsBySeverity")) {
                bySeverity += n.asLong();
            }
            assertThat(bySeverity).as(t.getKey() + ": its alerts").isEqualTo(teamAlerts);
            secrets += o.get("secrets").asLong();
            gone += o.get("goneSecrets").asLong();
            alerts += teamAlerts;
            assertThat(o.get("calls").asLong()).isLessThan(whole.get("calls").asLong());
            assertThat(o.get("principals").asLong())
                    .isLessThanOrEqualTo(whole.get("principals").asLong());
            assertThat(new java.math.BigDecimal(o.get("monthToDateUsdExact").asText()))
                    .isLessThan(new java.math.BigDecimal(
                            whole.get("monthToDateUsdExact").asText()));
        }
        // every secret is one team's, unowned included: the teams' counts make up the whole's
        assertThat(secrets).isEqualTo(whole.get("secrets").asLong());
        assertThat(gone).isEqualTo(whole.get("goneSecrets").asLong());
        assertThat(json("/api/v1/overview?team=nobody-here").get("secrets").asLong())
                .isZero();
        assertThat(callsPerDay(json("/api/v1/overview?team=nobody-here"))).isZero();
        assertError(get(open, "/api/v1/overview?team=%3Cb%3E"), 400, "bad_request");
        HttpResponse<String> page =
                get(open, "/?team=" + teams.keySet().iterator().next());
        assertThat(page.statusCode()).isEqualTo(200);
    }

    /** Issue 17 §2: under team=, the principals and the access ledger are the calls to the team's secrets only. */
    @Test
    void a_team_filter_narrows_principals_and_access_to_calls_on_the_teams_secrets() throws Exception {
        Map<String, Set<String>> teams = secretsByTeam();
        Map<String, JsonNode> wholePrincipals = new HashMap<>();
        json("/api/v1/principals?pageSize=1000")
                .get("items")
                .forEach(p -> wholePrincipals.put(p.get("principal").asText(), p));
        long wholeAccess = json("/api/v1/access?pageSize=1000").get("total").asLong();
        assertThat(json("/api/v1/access?pageSize=1000&team=").get("total").asLong())
                .isEqualTo(wholeAccess);
        long access = 0;
        boolean narrowedSome = false;
        for (var t : teams.entrySet()) {
            JsonNode ledger = json("/api/v1/access?pageSize=1000&team=" + t.getKey());
            Set<String> callers = new HashSet<>();
            Map<String, Long> callsOf = new HashMap<>();
            for (JsonNode a : ledger.get("items")) {
                assertThat(t.getValue()).as(t.getKey()).contains(a.get("secret").asText());
                callers.add(a.get("principal").asText());
                callsOf.merge(a.get("principal").asText(), a.get("calls").asLong(), Long::sum);
            }
            access += ledger.get("total").asLong();
            JsonNode principals = json("/api/v1/principals?pageSize=1000&team=" + t.getKey());
            Set<String> listed = new HashSet<>();
            for (JsonNode p : principals.get("items")) {
                String who = p.get("principal").asText();
                listed.add(who);
                JsonNode all = wholePrincipals.get(who);
                assertThat(all).as(who).isNotNull();
                assertThat(p.get("calls").asLong()).isEqualTo(callsOf.get(who));
                assertThat(p.get("calls").asLong())
                        .isLessThanOrEqualTo(all.get("calls").asLong());
                assertThat(p.get("secrets").asLong())
                        .isLessThanOrEqualTo(all.get("secrets").asLong());
                narrowedSome |= p.get("calls").asLong() < all.get("calls").asLong();
                // a principal's cost share is of all its calls, no one team's
                assertThat(p.get("costShareUsdExact").isNull()).isTrue();
            }
            assertThat(listed).as(t.getKey() + ": the ledger's principals").isEqualTo(callers);
            for (String who : callers) {
                JsonNode mine = json("/api/v1/principal?arn=" + Pages.enc(who) + "&team=" + t.getKey());
                assertThat(mine.get("secrets").findValuesAsText("secret")).allMatch(t.getValue()::contains);
            }
        }
        assertThat(narrowedSome).as("some principal reads secrets of two teams").isTrue();
        // the Cost page's principal lines under a team: the calls naming its secrets, no more than each one's whole
        Map<String, java.math.BigDecimal> wholeCost = new HashMap<>();
        json("/api/v1/cost/months")
                .get("byPrincipal")
                .forEach(
                        l -> wholeCost.put(l.get("key").asText(), l.get("calls").decimalValue()));
        long lines = 0;
        for (String t : teams.keySet()) {
            for (JsonNode l : json("/api/v1/cost/months?team=" + t).get("byPrincipal")) {
                lines++;
                assertThat(l.get("calls").decimalValue())
                        .as(t + " " + l.get("key").asText())
                        .isPositive()
                        .isLessThanOrEqualTo(wholeCost.get(l.get("key").asText()));
            }
        }
        assertThat(lines).as("principal lines under a team").isPositive();
        // each ledger row is one secret's, so one team's
        assertThat(access).isEqualTo(wholeAccess);
        assertThat(json("/api/v1/principals?team=nobody-here").get("total").asInt())
                .isZero();
        assertError(get(open, "/api/v1/principals?team=a%20b"), 400, "bad_request");
        assertError(get(open, "/api/v1/access?team=a%20b"), 400, "bad_request");
        String team = teams.keySet().iterator().next();
        HttpResponse<String> page = get(open, "/principals?team=" + team);
        assertThat(page.statusCode()).isEqualTo(200);
        // the links to the other pages keep the team
        assertThat(page.body()).contains("href=\"/alerts?team=" + team + "\"");
    }

    @Test
    void the_csv_export_is_the_filtered_view() throws Exception {
        HttpResponse<String> r = get(open, "/secrets.csv?account=111111111111");
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
        List<String> lines = r.body().lines().toList();
        assertThat(lines.get(0)).startsWith("arn,name,account,region,calls");
        // issue 15 §1: exists last, as in the report's secrets.csv (true, false, or empty for unknown)
        assertThat(lines.get(0)).endsWith(",tags,alerts,exists");
        assertThat(lines)
                .hasSize(1
                        + json("/api/v1/secrets?account=111111111111")
                                .get("total")
                                .asInt());
        assertThat(lines.subList(1, lines.size())).allSatisfy(l -> assertThat(l).contains(",111111111111,"));
        assertThat(lines.subList(1, lines.size())).allSatisfy(l -> assertThat(l).matches(".*,(true|false|)$"));
    }

    @Test
    void with_a_token_everything_needs_it() throws Exception {
        assertError(get(locked, "/api/v1/status"), 401, "unauthorized");
        assertThat(get(locked, "/api/v1/status", "Authorization", "Bearer " + TOKEN)
                        .statusCode())
                .isEqualTo(200);
        assertError(
                get(locked, "/api/v1/status", "Authorization", "Bearer wrong-token-wrong-token"), 401, "unauthorized");
        HttpResponse<String> page = get(locked, "/secrets?q=x");
        assertThat(page.statusCode()).isEqualTo(302);
        assertThat(page.headers().firstValue("Location").orElse("")).startsWith("/login?next=");
        assertThat(get(locked, "/login").body()).contains("id=\"login\"");
        HttpResponse<String> bad = post(locked, "/login", "application/x-www-form-urlencoded", "token=nope&next=%2F");
        assertThat(bad.statusCode()).isEqualTo(401);
        assertThat(bad.headers().firstValue("Set-Cookie")).isEmpty();
        HttpResponse<String> ok = post(
                locked,
                "/login",
                "application/x-www-form-urlencoded",
                "token=" + TOKEN + "&name=alice&next=" + Pages.enc("//evil.example/"));
        assertThat(ok.statusCode()).isEqualTo(302);
        assertThat(ok.headers().firstValue("Location")).hasValue("/"); // never an open redirect
        String cookie = ok.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cookie).contains("HttpOnly").contains("SameSite=Strict");
        String session = cookie.substring(0, cookie.indexOf(';'));
        assertThat(get(locked, "/secrets", "Cookie", session).statusCode()).isEqualTo(200);
        assertThat(cookie).doesNotContain("Secure");
        HttpResponse<String> viaTls = post(
                locked,
                "/login",
                "application/x-www-form-urlencoded",
                "token=" + TOKEN + "&next=%2F",
                "X-Forwarded-Proto",
                "https");
        assertThat(viaTls.headers().firstValue("Set-Cookie").orElseThrow()).contains("; Secure");
        assertThat(get(open, "/api/v1/status").statusCode())
                .as("loopback without a token needs none")
                .isEqualTo(200);
    }

    @Test
    void state_changes_need_a_csrf_token_and_are_audited() throws Exception {
        JsonNode alert =
                json("/api/v1/alerts?status=open&pageSize=1").get("items").get(0);
        String body = TestData.JSON.writeValueAsString(Map.of(
                "action",
                "ack",
                "rule",
                alert.get("rule").asText(),
                "resource",
                alert.get("resource").asText(),
                "principal",
                alert.path("principal").asText(""),
                "reason",
                "known: migration",
                "expires",
                "2026-12-31"));
        assertError(post(open, "/api/v1/alerts/actions", "application/json", body), 403, "csrf");
        Matcher m = Pattern.compile("name=\"csrf\" value=\"([0-9a-f]+)\"")
                .matcher(get(open, "/alerts").body());
        assertThat(m.find()).isTrue();
        String csrf = m.group(1);
        assertError(
                post(
                        open,
                        "/api/v1/alerts/actions",
                        "application/json",
                        body,
                        "X-CSRF-Token",
                        csrf,
                        "Sec-Fetch-Site",
                        "cross-site"),
                403,
                "csrf");
        assertError(
                post(open, "/api/v1/alerts/actions", "application/json", body, "X-CSRF-Token", "0".repeat(64)),
                403,
                "csrf");
        assertThat(post(open, "/api/v1/alerts/actions", "application/json", body, "X-CSRF-Token", csrf)
                        .statusCode())
                .isEqualTo(201);
        JsonNode acked = json("/api/v1/alerts?status=acknowledged");
        assertThat(acked.get("items")).anySatisfy(a -> {
            assertThat(a.get("resource").asText())
                    .isEqualTo(alert.get("resource").asText());
            assertThat(a.get("stateReason").asText()).isEqualTo("known: migration");
            assertThat(a.get("stateBy").asText()).startsWith("loopback@");
            assertThat(a.get("stateExpires").asText()).isEqualTo("2027-01-01T00:00:00Z");
        });
        // a form post from the page works the same way
        HttpResponse<String> form = post(
                open,
                "/alerts/action",
                "application/x-www-form-urlencoded",
                "csrf=" + csrf + "&action=suppress&rule="
                        + Pages.enc(alert.get("rule").asText()) + "&resource="
                        + Pages.enc(alert.get("resource").asText()) + "&principal="
                        + Pages.enc(alert.path("principal").asText(""))
                        + "&reason=noise&expires=");
        assertThat(form.statusCode()).isEqualTo(302);
        assertThat(json("/api/v1/alerts?status=suppressed").get("total").asInt())
                .isEqualTo(1);
        // with the Bearer token, an API client needs no CSRF token
        assertThat(post(
                                locked,
                                "/api/v1/alerts/actions",
                                "application/json",
                                body.replace("known: migration", "by api"),
                                "Authorization",
                                "Bearer " + TOKEN)
                        .statusCode())
                .isEqualTo(201);
        assertError(
                post(
                        open,
                        "/api/v1/alerts/actions",
                        "application/json",
                        body.replace("2026-12-31", "2020-01-01"),
                        "X-CSRF-Token",
                        csrf),
                400,
                "bad_request");
    }

    @Test
    void webhooks_show_masked_urls_and_send_a_test_message() throws Exception {
        java.util.List<String> got = java.util.Collections.synchronizedList(new ArrayList<>());
        com.sun.net.httpserver.HttpServer receiver =
                com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", ex -> {
            got.add(new String(ex.getRequestBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        receiver.start();
        var hooks = io.secrettrail.analytics.alerts.WebhookSettings.of(
                Map.of(
                        "webhook.chat.url",
                        "http://127.0.0.1:" + receiver.getAddress().getPort() + "/services/T0/B0/sEcReTtOkEn",
                        "webhook.chat.format",
                        "slack"),
                Set.of());
        Clock clock = Clock.fixed(TestData.END, ZoneOffset.UTC);
        try (var deliverer = new io.secrettrail.analytics.alerts.Deliverer(store, hooks, clock);
                WebServer withHooks = WebServer.start(
                        new WebConfig("127.0.0.1", 0),
                        new DashboardService(store, reports),
                        ReportSettings.defaults().rules(),
                        hooks,
                        deliverer,
                        clock)) {
            HttpResponse<String> list = get(withHooks, "/api/v1/webhooks");
            assertThat(list.body()).contains("/services/****/****/****").doesNotContain("sEcReTtOkEn");
            assertThat(get(withHooks, "/webhooks").body())
                    .doesNotContain("sEcReTtOkEn")
                    .contains("Send test");
            assertError(post(withHooks, "/api/v1/webhooks/chat/test", "application/json", "{}"), 403, "csrf");
            Matcher m = Pattern.compile("name=\"csrf\" value=\"([0-9a-f]+)\"")
                    .matcher(get(withHooks, "/webhooks").body());
            assertThat(m.find()).isTrue();
            HttpResponse<String> sent =
                    post(withHooks, "/api/v1/webhooks/chat/test", "application/json", "{}", "X-CSRF-Token", m.group(1));
            assertThat(TestData.JSON.readTree(sent.body()).get("status").asInt())
                    .isEqualTo(204);
            assertThat(got).hasSize(1);
            assertThat(TestData.JSON.readTree(got.get(0)).get("text").asText()).startsWith("Test: webhook-test");
            assertError(
                    post(withHooks, "/api/v1/webhooks/nope/test", "application/json", "{}", "X-CSRF-Token", m.group(1)),
                    404,
                    "not_found");
            assertThat(TestData.JSON.readTree(
                            get(withHooks, "/api/v1/webhooks/chat/deliveries").body()))
                    .isEmpty();
        } finally {
            receiver.stop(0);
        }
    }

    /** Every sample of a Prometheus text exposition, by series; fails on a line that is not one. */
    static Map<String, Double> scrape(WebServer s) throws Exception {
        HttpResponse<String> r = get(s, "/metrics");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain; version=0.0.4");
        Pattern sample = Pattern.compile(
                "([a-zA-Z_:][a-zA-Z0-9_:]*(\\{[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\]|\\\\.)*\"(?:,[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\]|\\\\.)*\")*\\})?) (-?[0-9.eE+-]+|[+-]Inf|NaN)");
        Map<String, Double> out = new HashMap<>();
        for (String line : r.body().lines().toList()) {
            if (line.startsWith("# HELP ") || line.startsWith("# TYPE ")) {
                continue;
            }
            Matcher m = sample.matcher(line);
            assertThat(m.matches()).as("a Prometheus sample: " + line).isTrue();
            out.put(m.group(1), m.group(3).contains("Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(m.group(3)));
        }
        return out;
    }

    @Test
    void metrics_parse_as_prometheus_text_and_move_when_events_arrive() throws Exception {
        json("/api/v1/overview");
        Map<String, Double> before = scrape(open);
        assertThat(before.get("secrettrail_events_stored")).isPositive();
        assertThat(before.keySet())
                .anyMatch(k -> k.startsWith("secrettrail_alerts{rule=\""))
                .contains("secrettrail_http_request_duration_seconds_bucket{route=\"/api/v1/overview\",le=\"0.005\"}")
                .noneMatch(k -> k.contains("route=\"*\"") || k.contains("arn:aws"));
        String json = """
                {"eventVersion":"1.09","userIdentity":{"type":"IAMUser","accountId":"111111111111","arn":"arn:aws:iam::111111111111:user/m"},
                 "eventTime":"2026-11-21T11:58:00Z","eventSource":"secretsmanager.amazonaws.com","eventName":"ListSecrets",
                 "awsRegion":"us-east-1","requestParameters":{},"eventID":"metrics-1","eventType":"AwsApiCall","recipientAccountId":"111111111111"}""";
        byte[] raw = json.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        io.secrettrail.analytics.store.Batch b = new io.secrettrail.analytics.store.Batch();
        b.event(new io.secrettrail.analytics.store.Batch.EventRow(
                new io.secrettrail.core.event.EventParser().parse(TestData.JSON.readTree(raw), raw),
                null,
                true,
                "metrics",
                1L));
        store.write(b);
        Map<String, Double> after = scrape(open);
        assertThat(after.get("secrettrail_events_stored")).isEqualTo(before.get("secrettrail_events_stored") + 1);
        assertThat(after.get("secrettrail_store_version")).isGreaterThan(before.get("secrettrail_store_version"));
        HttpResponse<String> ready = get(locked, "/health/ready");
        assertThat(ready.statusCode()).as("health needs no token").isEqualTo(200);
        assertThat(ready.body()).contains("\"duckdb\" : true");
    }

    @Test
    void binding_beyond_loopback_needs_a_token() {
        assertThatThrownBy(() -> new WebConfig("0.0.0.0", 8080)).hasMessageContaining("not loopback");
        assertThatThrownBy(() -> new WebConfig("0.0.0.0", 8080, "short")).hasMessageContaining("at least 16");
    }
}
