package io.secrettrail.core.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class PrincipalTest {
    private final ObjectMapper mapper = new ObjectMapper();

    private String key(String identityJson) throws Exception {
        return EventParser.principal(mapper.readTree(identityJson)).key();
    }

    @Test
    void an_assumed_role_session_counts_as_its_role_with_its_path() throws Exception {
        String line = Fixtures.lines("panther-analysis/events.ndjson").get(1);
        assertThat(EventParser.principal(mapper.readTree(line).get("userIdentity"))
                        .key())
                .isEqualTo(
                        "arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_ExampleRole_xxxxxxxxxxxxxxxx");
    }

    @Test
    void two_sessions_of_one_role_are_one_principal() throws Exception {
        String a = "{\"type\":\"AssumedRole\",\"arn\":\"arn:aws:sts::1:assumed-role/app/i-1\"}";
        String b = "{\"type\":\"AssumedRole\",\"arn\":\"arn:aws:sts::1:assumed-role/app/i-2\"}";
        assertThat(key(a)).isEqualTo(key(b)).isEqualTo("arn:aws:iam::1:role/app");
    }

    @Test
    void an_iam_user_is_its_arn_root_is_the_account_root_a_service_is_invoked_by() throws Exception {
        assertThat(
                        key(
                                "{\"type\":\"IAMUser\",\"arn\":\"arn:aws:iam::165109126369:user/christophe\",\"accountId\":\"165109126369\"}"))
                .isEqualTo("arn:aws:iam::165109126369:user/christophe");
        assertThat(key("{\"type\":\"Root\",\"arn\":\"arn:aws:iam::123456789012:root\",\"accountId\":\"123456789012\"}"))
                .isEqualTo("arn:aws:iam::123456789012:root");
        assertThat(key("{\"type\":\"AWSService\",\"invokedBy\":\"rds.amazonaws.com\"}"))
                .isEqualTo("rds.amazonaws.com");
    }
}
