package io.secrettrail.core.secret;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.regex.Matcher;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** Issue 16: SecretArn reads its shapes by hand; the regular expressions stay their specification. */
class SecretArnShapeTest {
    private static Optional<SecretArn> byRegex(String text) {
        Matcher m = SecretArn.ARN.matcher(text);
        return m.matches()
                ? Optional.of(new SecretArn(m.group(1), m.group(2), m.group(3), m.group(4)))
                : Optional.empty();
    }

    @Test
    void real_and_near_miss_arns_read_as_the_regex_reads_them() {
        for (String t : new String[] {
            "arn:aws:secretsmanager:us-east-1:111111111111:secret:prod/db-AbC123",
            "arn:aws-cn:secretsmanager:cn-north-1:111111111111:secret:x",
            "arn:aws-us-gov:secretsmanager:us-gov-west-1:111111111111:secret:a:b:c",
            "arn:aws-iso-b:secretsmanager:us-isob-east-1:111111111111:secret:n\nline",
            "arn:aws-iso:secretsmanager:r:111111111111:secret:n",
            "arn:aws:secretsmanager:us-east-1:111111111111:secret:",
            "arn:aws:secretsmanager::111111111111:secret:n",
            "arn:aws:secretsmanager:US-EAST-1:111111111111:secret:n",
            "arn:aws:secretsmanager:us-east-1:11111111111:secret:n",
            "arn:aws:secretsmanager:us-east-1:1111111111111:secret:n",
            "arn:aws:secretsmanager:us-east-1:١١١١١١١١١١١١:secret:n",
            "arn:aws:kms:us-east-1:111111111111:key/1",
            "arn:aws-isoX:secretsmanager:r:111111111111:secret:n",
            "arn:aws:x:secretsmanager:r:111111111111:secret:n",
            "arn:awsx:secretsmanager:r:111111111111:secret:n",
            "xarn:aws:secretsmanager:r:111111111111:secret:n",
            "arn:aws:secretsmanager:r:111111111111:secrets:n",
            "prod/db",
            ""
        }) {
            assertThat(SecretArn.parse(t)).as(t).isEqualTo(byRegex(t));
        }
        assertThat(SecretArn.parse("arn:aws:secretsmanager:us-east-1:111111111111:secret:prod/db-AbC123"))
                .contains(new SecretArn("aws", "us-east-1", "111111111111", "prod/db-AbC123"));
    }

    @Provide
    Arbitrary<String> arnLike() {
        Arbitrary<String> partition = Arbitraries.of(
                "aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-isoZ", "aws-iso:", "aw", "aws-");
        Arbitrary<String> service = Arbitraries.of(":secretsmanager:", ":secretsmanager", ":kms:", ":secretsmanager::");
        Arbitrary<String> region =
                Arbitraries.strings().withChars("az09-:A").ofMinLength(0).ofMaxLength(12);
        Arbitrary<String> account =
                Arbitraries.strings().withChars("0123456789x").ofMinLength(10).ofMaxLength(13);
        Arbitrary<String> secret = Arbitraries.of(":secret:", ":secret", "secret:", ":Secret:");
        Arbitrary<String> name =
                Arbitraries.strings().withChars("ab-:/\n1Z").ofMinLength(0).ofMaxLength(10);
        return Combinators.combine(
                        Arbitraries.of("arn:", "arn", "arn::"), partition, service, region, account, secret, name)
                .as((a, p, s, r, acct, sec, n) -> a + p + s + r + ":" + acct + sec + n);
    }

    @Property(tries = 3000)
    void the_hand_reader_agrees_with_the_regex(@ForAll("arnLike") String text) {
        assertThat(SecretArn.parse(text)).isEqualTo(byRegex(text));
    }

    @Property(tries = 3000)
    void the_suffix_shape_agrees_with_the_regex(@ForAll("resources") String resource) {
        assertThat(new SecretArn("aws", "r", "111111111111", resource).hasSuffixShape())
                .as(resource)
                .isEqualTo(SecretArn.SUFFIX.matcher(resource).matches());
    }

    @Provide
    Arbitrary<String> resources() {
        return Combinators.combine(
                        Arbitraries.strings().withChars("a-/\n").ofMinLength(0).ofMaxLength(3),
                        Arbitraries.of("-", "_", ""),
                        Arbitraries.strings()
                                .withChars("aZ09-é\n")
                                .ofMinLength(4)
                                .ofMaxLength(7))
                .as((head, dash, tail) -> head + dash + tail);
    }
}
