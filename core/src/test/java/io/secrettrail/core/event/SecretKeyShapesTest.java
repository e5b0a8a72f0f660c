package io.secrettrail.core.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Shapes the field-by-field routing test does not build: a secret value's key (here a case fold, 'ſ' for 's')
 * in a deferred field, under a duplicate key, inside an EventBridge envelope, in a record that is rejected,
 * and in NDJSON and bare-array files. Nothing of the value reaches an event's raw bytes or a dead letter.
 */
class SecretKeyShapesTest {
    static final String VALUE = "hunter2-5e1d";
    static final String KEY = "\u017FecretString";
    static final String HEAD = "\"eventVersion\":\"1.09\",\"userIdentity\":{\"type\":\"IAMUser\","
            + "\"arn\":\"arn:aws:iam::111111111111:user/alice\",\"accountId\":\"111111111111\"},"
            + "\"eventTime\":\"2026-11-01T00:00:00Z\",";
    static final String TAIL = "\"eventName\":\"PutSecretValue\",\"awsRegion\":\"us-east-1\",\"eventID\":\"e1\","
            + "\"recipientAccountId\":\"111111111111\"";
    static final String SOURCE = "\"eventSource\":\"secretsmanager.amazonaws.com\",";
    static final String HOSTILE = "{\"secretId\":\"app/db\",\"" + KEY + "\":\"" + VALUE + "\"}";

    private static Collecting read(String content) throws Exception {
        Collecting sink = new Collecting();
        new TrailReader().read(content.getBytes(StandardCharsets.UTF_8), "shapes.json", sink);
        return sink;
    }

    private static void assertNothingOfTheValue(Collecting sink, String as) {
        List<String> out = new ArrayList<>();
        sink.events.forEach(e -> out.add(new String(e.raw(), StandardCharsets.UTF_8)));
        sink.rejections.forEach(r -> out.add(new String(r.raw(), StandardCharsets.UTF_8) + r.error() + r.field()));
        assertThat(out).as(as).isNotEmpty().noneMatch(s -> s.contains(VALUE) || s.contains("hunter2"));
    }

    @Test
    void a_deferred_request_before_the_source_drops_the_value() throws Exception {
        Collecting sink = read("{" + HEAD + "\"requestParameters\":" + HOSTILE + "," + SOURCE + TAIL + "}");
        assertThat(sink.events)
                .singleElement()
                .satisfies(e -> assertThat(e.carriedValue()).isTrue());
        assertNothingOfTheValue(sink, "deferred");
    }

    @Test
    void a_duplicate_key_keeps_no_value_whichever_comes_first() throws Exception {
        String clean = "{\"secretId\":\"app/db\"}";
        assertNothingOfTheValue(
                read("{" + HEAD + SOURCE + "\"requestParameters\":" + HOSTILE + ",\"requestParameters\":" + clean + ","
                        + TAIL + "}"),
                "hostile first");
        assertNothingOfTheValue(
                read("{" + HEAD + SOURCE + "\"requestParameters\":" + clean + ",\"requestParameters\":" + HOSTILE + ","
                        + TAIL + "}"),
                "hostile last");
    }

    @Test
    void an_eventbridge_envelope_drops_the_value_in_its_detail() throws Exception {
        Collecting sink = read("{\"version\":\"0\",\"detail-type\":\"AWS API Call via CloudTrail\","
                + "\"source\":\"aws.secretsmanager\",\"detail\":{" + HEAD + SOURCE + "\"requestParameters\":" + HOSTILE
                + "," + TAIL + "}}");
        assertThat(sink.events).hasSize(1);
        assertNothingOfTheValue(sink, "envelope");
    }

    @Test
    void a_rejected_record_keeps_no_value_in_its_dead_letter() throws Exception {
        // eventTime is not a time: the record is rejected, its raw bytes kept for the dead letter
        Collecting sink = read("{" + HEAD.replace("2026-11-01T00:00:00Z", "yesterday") + SOURCE
                + "\"requestParameters\":" + HOSTILE + "," + TAIL + "}");
        assertThat(sink.events).isEmpty();
        assertThat(sink.rejections).hasSize(1);
        assertNothingOfTheValue(sink, "rejected");
    }

    @Test
    void ndjson_and_bare_array_files_drop_the_value() throws Exception {
        String record =
                "{" + HEAD + SOURCE + "\"resources\":[{\"ARN\":\"x\",\"" + KEY + "\":\"" + VALUE + "\"}]," + TAIL + "}";
        Collecting lines = read(record + "\n" + record.replace("\"e1\"", "\"e2\"") + "\n");
        assertThat(lines.events).hasSize(2);
        assertNothingOfTheValue(lines, "ndjson");
        Collecting array = read("[" + record + "," + record.replace("\"e1\"", "\"e2\"") + "]");
        assertThat(array.events).hasSize(2);
        assertNothingOfTheValue(array, "array");
    }
}
