package io.secrettrail.core.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Issue 16: the fields rules and the snapshot read of a record, taken at decode (the store keeps them as
 * columns, not the raw record), read the same from the projection as from the whole record.
 */
class EventDetailsTest {
    private static final ObjectMapper JSON = io.secrettrail.core.Json.mapper();

    private static final String RECORD = "{\"eventVersion\":\"1.08\",\"eventID\":\"e1\","
            + "\"eventTime\":\"2026-11-01T10:00:00Z\",\"eventSource\":\"secretsmanager.amazonaws.com\","
            + "\"eventName\":\"DeleteSecret\",\"tlsDetails\":{\"tlsVersion\":\"TLSv1.3\"},"
            + "\"userIdentity\":{\"type\":\"AssumedRole\",\"arn\":\"arn:aws:sts::111122223333:assumed-role/App/s1\","
            + "\"accessKeyId\":\"ASIAEXAMPLE\",\"sessionContext\":{\"sourceIdentity\":\"alice\","
            + "\"sessionIssuer\":{\"arn\":\"arn:aws:iam::111122223333:role/App\"}}},"
            + "\"vpcEndpointId\":\"vpce-1\",\"requestParameters\":{\"secretId\":\"db\","
            + "\"forceDeleteWithoutRecovery\":true,\"recoveryWindowInDays\":7,\"clientRequestToken\":\"t\","
            + "\"filters\":[{\"key\":\"tag-key\",\"values\":[\"!x\"]}],\"resourcePolicy\":\"{\\\"Statement\\\":[]}\","
            + "\"trailName\":\"main\"},\"responseElements\":{\"versionId\":\"v-9\","
            + "\"trailARN\":\"arn:aws:cloudtrail:us-east-1:111122223333:trail/main\",\"name\":\"ignored\"}}";

    private static CloudTrailEvent projected(String json) throws Exception {
        byte[] raw = json.getBytes(StandardCharsets.UTF_8);
        try (JsonParser p = JSON.createParser(raw)) {
            p.nextToken();
            return new EventParser().parse(Projection.event(JSON, p), raw);
        }
    }

    @Test
    void every_field_is_read_from_the_projection_as_from_the_whole_record() throws Exception {
        EventDetails d = projected(RECORD).details();
        assertThat(d)
                .isEqualTo(new EventDetails(
                        "ASIAEXAMPLE",
                        "alice",
                        "vpce-1",
                        "v-9",
                        "true",
                        "7",
                        "[{\"key\":\"tag-key\",\"values\":[\"!x\"]}]",
                        "\"{\\\"Statement\\\":[]}\"",
                        "main",
                        "arn:aws:cloudtrail:us-east-1:111122223333:trail/main"));
        byte[] raw = RECORD.getBytes(StandardCharsets.UTF_8);
        assertThat(new EventParser().parse(JSON.readTree(raw), raw).details()).isEqualTo(d);
    }

    @Test
    void a_record_without_the_fields_has_none_and_json_null_is_none() throws Exception {
        assertThat(projected("{\"eventID\":\"e2\",\"eventTime\":\"2026-11-01T10:00:00Z\","
                                + "\"eventSource\":\"secretsmanager.amazonaws.com\",\"eventName\":\"GetSecretValue\","
                                + "\"vpcEndpointId\":null,\"requestParameters\":{\"secretId\":\"db\"}}")
                        .details())
                .isEqualTo(EventDetails.NONE);
    }

    @Test
    void a_requested_name_wins_over_the_trail_name_and_values_of_another_type_are_their_json() throws Exception {
        EventDetails d = projected("{\"eventID\":\"e3\",\"eventTime\":\"2026-11-01T10:00:00Z\","
                        + "\"eventSource\":\"cloudtrail.amazonaws.com\",\"eventName\":\"UpdateTrail\","
                        + "\"userIdentity\":{\"accessKeyId\":{\"k\":1}},"
                        + "\"requestParameters\":{\"name\":\"audit\",\"trailName\":\"other\","
                        + "\"recoveryWindowInDays\":\"30\",\"resourcePolicy\":null}}")
                .details();
        assertThat(d.requestedTrail()).isEqualTo("audit");
        assertThat(d.accessKeyId()).isEqualTo("{\"k\":1}");
        assertThat(d.recoveryWindowDays()).isEqualTo("30");
        assertThat(d.resourcePolicy()).isEqualTo("null"); // json_extract of a JSON null
    }
}
