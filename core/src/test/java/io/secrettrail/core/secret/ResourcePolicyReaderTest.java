package io.secrettrail.core.secret;

import static org.assertj.core.api.Assertions.assertThat;

import io.secrettrail.core.event.Rejection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Saved {@code aws secretsmanager get-resource-policy} outputs, in the shape the API reference documents. */
class ResourcePolicyReaderTest {
    static final String ARN = "arn:aws:secretsmanager:us-west-2:123456789012:secret:MyTestDatabaseSecret-a1b2c3";
    /** The policy document; the answer carries it as a JSON string, line breaks included, as the CLI prints it. */
    static final String POLICY = "{\n\"Version\":\"2012-10-17\",\n\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Principal\":{\"AWS\":\"arn:aws:iam::123456789012:root\"},"
            + "\"Action\":\"secretsmanager:GetSecretValue\",\"Resource\":\"*\"}]\n}";

    @TempDir
    Path dir;

    final List<ResourcePolicy> read = new ArrayList<>();
    final List<Rejection> rejected = new ArrayList<>();

    private int read(String text) throws Exception {
        Path f = Files.writeString(dir.resolve("policy.json"), text);
        return new ResourcePolicyReader().read(f, "policy.json", read::add, rejected::add);
    }

    @Test
    void the_documented_answer_is_read_with_its_policy_as_text_and_no_read_time() throws Exception {
        String answer = "{\"ARN\":\"" + ARN + "\",\"Name\":\"MyTestDatabaseSecret\",\"ResourcePolicy\":"
                + io.secrettrail.core.Json.mapper().writeValueAsString(POLICY) + "}";
        assertThat(read(answer)).isEqualTo(1);
        assertThat(read).singleElement().satisfies(p -> {
            assertThat(p.arn()).isEqualTo(ARN);
            assertThat(p.name()).isEqualTo("MyTestDatabaseSecret");
            assertThat(p.policy()).startsWith("{\n\"Version\"").contains("secretsmanager:GetSecretValue");
            assertThat(p.readAt()).isNull();
            assertThat(p.origin()).isEqualTo("policy.json");
        });
    }

    @Test
    void several_answers_one_a_line_or_in_an_array_and_a_secret_without_a_policy() throws Exception {
        String none = "{\"ARN\":\"" + ARN.replace("MyTest", "Other") + "\",\"Name\":\"OtherDatabaseSecret\"}";
        assertThat(read(none + "\n[" + none.replace("Other", "Third") + "]\n")).isEqualTo(2);
        assertThat(read)
                .extracting(ResourcePolicy::name, ResourcePolicy::policy)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("OtherDatabaseSecret", null),
                        org.assertj.core.groups.Tuple.tuple("ThirdDatabaseSecret", null));
    }

    @Test
    void bad_answers_are_rejected_by_field_and_reading_goes_on() throws Exception {
        assertThat(read("{\"Name\":\"x\"}\n{\"ARN\":\"arn:aws:secretsmanager:us-west-2:123456789012:secret:short\"}\n"
                        + "{\"ARN\":\"" + ARN + "\",\"ResourcePolicy\":{\"Version\":\"2012-10-17\"}}\n"
                        + "{\"ARN\":\"" + ARN + "\"}\n{\"ARN\": nope"))
                .isEqualTo(1);
        assertThat(read).extracting(ResourcePolicy::name).containsExactly("MyTestDatabaseSecret");
        assertThat(rejected)
                .extracting(Rejection::recordIndex, Rejection::field)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(1L, "ARN"),
                        org.assertj.core.groups.Tuple.tuple(2L, "ARN"),
                        org.assertj.core.groups.Tuple.tuple(3L, "ResourcePolicy"),
                        org.assertj.core.groups.Tuple.tuple(5L, null));
        assertThat(rejected.get(3).error()).startsWith("invalid JSON").doesNotContain("nope");
    }

    @Test
    void a_topic_message_round_trips_with_when_and_where_it_was_read() throws Exception {
        ResourcePolicyReader reader = new ResourcePolicyReader();
        ResourcePolicy p = new ResourcePolicy(
                ARN, "MyTestDatabaseSecret", "{}", Instant.parse("2026-11-21T12:00:00Z"), ResourcePolicy.FETCHED);
        assertThat(reader.parse(io.secrettrail.core.Json.mapper().readTree(reader.message(p)), null, "ignored"))
                .isEqualTo(p);
    }

    @Test
    void a_describe_secret_output_is_not_taken_for_a_secret_without_a_policy() throws Exception {
        // it has an ARN and a Name but no ResourcePolicy: read as an answer, it would say "no resource policy",
        // current as of the report, and outrank a PutResourcePolicy that made the secret public
        String described = "{\"ARN\":\"" + ARN + "\",\"Name\":\"MyTestDatabaseSecret\",\"RotationEnabled\":false,"
                + "\"Tags\":[],\"LastChangedDate\":1523477145.729}";
        assertThat(read(described)).isZero();
        assertThat(read).isEmpty();
        assertThat(rejected).singleElement().satisfies(r -> {
            assertThat(r.field()).isEqualTo("RotationEnabled");
            assertThat(r.error())
                    .isEqualTo("not a field of a get-resource-policy answer (is this another command's output?)");
        });
    }
}
