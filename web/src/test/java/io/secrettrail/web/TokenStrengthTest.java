package io.secrettrail.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Issue 12, item 12: a short or simple token refuses to start, saying why. */
class TokenStrengthTest {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "short-Token-1|at least 16 characters, was 13",
                "aaaaaaaaaaaaaaaaaaaaaaaa|at least 7 different characters, has 1",
                "abababababababab12121212|at least 7 different characters, has 4",
                "8675309867530986753098|all one kind of character",
                "correcthorsebatterystaple|all one kind of character",
                "12345678901234567890|all one kind of character",
                "ZXCVBNMASDFGHJKLQWERTY|all one kind of character",
                "Password1234567890!|common words",
                "!!secret!!2026!!secret!!|common words",
                "Abc123xyZ!Abc123xyZ!Abc123xyZ!|repeats the same 10 characters",
                "abcdefghijklmnopqrstuvwxyz0123456789ABC|consecutive or keyboard-row",
                "qwertyuiop1234567890QWERTY|consecutive or keyboard-row"
            })
    void weak_tokens_are_refused_with_the_reason(String token, String reason) {
        assertThat(TokenStrength.problem(token)).contains(reason);
        assertThatThrownBy(() -> new WebConfig("0.0.0.0", 8080, token))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("web.token: ")
                .hasMessageContaining(reason);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "correct-horse-battery-staple",
                "a-browser-test-token-1234",
                "7f3a9c01e4b2d8f6a5c3e1b09d7f2a4c6e8b1d3f5a7c9e0b",
                "Zq8-vL2#pX9!mR4t",
                "kfjwoqpzmxnvbtyuaslkdjfhgqpwoeir"
            })
    void strong_tokens_are_accepted(String token) {
        assertThat(TokenStrength.problem(token)).isNull();
        assertThat(new WebConfig("0.0.0.0", 8080, token).token()).isEqualTo(token);
    }

    @Test
    void what_the_readme_suggests_always_passes() {
        SecureRandom random = new SecureRandom();
        for (int i = 0; i < 2000; i++) {
            byte[] b = new byte[24];
            random.nextBytes(b);
            String token = HexFormat.of().formatHex(b); // openssl rand -hex 24
            assertThat(TokenStrength.problem(token)).as(token).isNull();
        }
    }
}
