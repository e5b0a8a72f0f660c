package io.secrettrail.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.secrettrail.analytics.report.Report;

class WebServerTest {
    static final String HOSTILE = "<script>alert(\"x\")</script>";

    static Report report() {
        Report.SecretSummary s = new Report.SecretSummary("arn:aws:secretsmanager:us-east-1:111111111111:secret:" + HOSTILE,
                HOSTILE + "&'", "111111111111", "us-east-1", "us-east-1", false, 3, Map.of("GetSecretValue", 3L), 0, 1,
                Instant.parse("2026-11-20T10:00:00Z"), null, null, null, null, null, null);
        return new Report(1, Instant.parse("2026-11-21T12:00:00Z"), new Report.IngestCounts(1, 2, 3, 0, 0), List.of(s), 0, List.of(), null, List.of());
    }

    @Test
    void the_first_page_escapes_event_strings_and_forbids_scripts() throws Exception {
        try (WebServer web = WebServer.start(new WebConfig("127.0.0.1", 0), WebServerTest::report)) {
            HttpResponse<String> r = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + web.port() + "/")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).doesNotContain("<script").contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;");
            assertThat(r.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(v -> assertThat(v).contains("default-src 'none'"));
        }
    }

    @Test
    void the_report_is_served_as_json() throws Exception {
        try (WebServer web = WebServer.start(new WebConfig("127.0.0.1", 0), WebServerTest::report)) {
            HttpResponse<String> r = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + web.port() + "/api/v1/report")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
            assertThat(r.body()).contains("\"schemaVersion\" : 1").contains("\"unattributedCalls\" : 0");
        }
    }

    @Test
    void binding_beyond_loopback_is_refused_until_tokens_exist() {
        assertThatThrownBy(() -> new WebConfig("0.0.0.0", 8080)).hasMessageContaining("web.host");
    }
}
