package io.secrettrail.analytics.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Issue 12, item 14: Slack text shows hidden characters and links carry any name exactly. */
class SlackTest {
    static ObjectNode payload(String resource) {
        ObjectNode p = Payloads.JSON.createObjectNode();
        p.put("transition", "open");
        p.put("rule", "public-policy");
        p.put("severity", "high");
        p.put("resource", resource);
        p.put("principal", "arn:aws:iam::111111111111:role/x\u202Eyz");
        p.put("reason", "made public\u0000 by\u2066 someone");
        return p;
    }

    @Test
    void bidi_and_control_characters_are_escaped_visibly_in_every_text() {
        String arn = "arn:aws:secretsmanager:us-east-1:111111111111:secret:invoice\u202Etxt.exe-AbCdEf";
        ObjectNode m = Slack.message(payload(arn), "https://st.example.com");
        java.util.List<String> texts = new java.util.ArrayList<>();
        m.findValues("text")
                .forEach(t ->
                        texts.add(t.isTextual() ? t.asText() : t.path("text").asText()));
        assertThat(texts)
                .hasSizeGreaterThan(3)
                .allSatisfy(t -> assertThat(t).doesNotContain("\u202E", "\u2066", "\u0000"));
        assertThat(m.get("text").asText()).contains("invoice\\u202Etxt.exe");
        assertThat(String.join("\n", texts))
                .contains("made public\\u0000 by\\u2066 someone")
                .contains("role/x\\u202Eyz");
    }

    @Test
    void the_link_is_the_url_encoded_arn_as_a_query_parameter() {
        for (String name :
                new String[] {"team/../admin", "a%2Fb", "q?x=1#frag|<!here>", "sp ace", "invoice\u202Etxt.exe"}) {
            String arn = "arn:aws:secretsmanager:us-east-1:111111111111:secret:" + name + "-AbCdEf";
            String m = Slack.message(payload(arn), "https://st.example.com").toString();
            Matcher link = Pattern.compile("<(https://st\\.example\\.com/secret\\?arn=[^|>]*)\\|Open in SecretTrail>")
                    .matcher(m);
            assertThat(link.find()).as(m).isTrue();
            String query = link.group(1).substring(link.group(1).indexOf("arn=") + 4);
            assertThat(query).matches("[A-Za-z0-9%._~*-]*");
            assertThat(URLDecoder.decode(query, StandardCharsets.UTF_8)).isEqualTo(arn);
        }
    }
}
