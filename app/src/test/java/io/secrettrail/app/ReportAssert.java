package io.secrettrail.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.secrettrail.analytics.report.Report;
import io.secrettrail.analytics.report.ReportWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Compares a report with the generator's truth, secret by secret, so a failure says where. */
final class ReportAssert {
    static final ObjectMapper JSON = new ObjectMapper();

    private ReportAssert() {}

    static JsonNode json(Report r) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ReportWriter.json(r, out);
        return JSON.readTree(out.toByteArray());
    }

    static JsonNode truth(Path truthFile) throws IOException {
        ObjectNode t = (ObjectNode) JSON.readTree(truthFile.toFile());
        t.remove("canary");
        return t;
    }

    /** Equal in every field; the message lists each secret and field that differs. */
    static void matchesTruth(JsonNode actual, JsonNode truth) {
        List<String> diffs = new ArrayList<>();
        for (String f : List.of("schemaVersion", "asOf", "ingest", "unattributedCalls")) {
            if (!truth.get(f).equals(actual.get(f))) {
                diffs.add(f + ": expected " + truth.get(f) + " but was " + actual.get(f));
            }
        }
        Map<String, JsonNode> expected = byArn(truth);
        Map<String, JsonNode> got = byArn(actual);
        for (String arn : expected.keySet()) {
            if (!got.containsKey(arn)) {
                diffs.add("missing secret " + arn);
                continue;
            }
            JsonNode e = expected.get(arn);
            JsonNode a = got.get(arn);
            for (Iterator<String> it = e.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (!e.get(f).equals(a.get(f))) {
                    diffs.add(arn + " " + f + ": expected " + e.get(f) + " but was " + a.get(f));
                }
            }
        }
        for (String arn : got.keySet()) {
            if (!expected.containsKey(arn)) {
                diffs.add("unexpected secret " + arn + " " + got.get(arn));
            }
        }
        assertThat(diffs).as("differences from truth").isEmpty();
        // Every field of truth matched; what the report adds beyond schema v1's truth (cost,
        // alerts) is checked by its own tests.
    }

    private static Map<String, JsonNode> byArn(JsonNode report) {
        Map<String, JsonNode> m = new TreeMap<>();
        report.get("secrets").forEach(s -> m.put(s.get("arn").asText(), s));
        return m;
    }
}
