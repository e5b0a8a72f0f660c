package io.secrettrail.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Issue 12, item 10: after login only a path on this server; every other value gives "/". */
class SafeNextTest {
    @ParameterizedTest(name = "refused: {0}")
    @ValueSource(
            strings = {
                "//evil.example",
                "//evil.example/",
                "/\t/evil.example",
                "/\n/evil.example",
                "/\r/evil.example",
                "\t//evil.example",
                " /x",
                "/ /evil.example",
                "/\\evil.example",
                "\\/evil.example",
                "/\\/evil.example",
                "https://evil.example",
                "http:/evil.example",
                "evil.example",
                "javascript:alert(1)",
                "/%09/evil.example",
                "/%0a/evil.example",
                "/%0D/evil.example",
                "/%5Cevil.example",
                "/%5cevil.example",
                "/%2F/evil.example",
                "/%2f%2fevil.example",
                "%2F%2Fevil.example",
                "/%252F%252Fevil.example",
                "/%25252F%25252Fevil.example",
                "/%255Cevil.example",
                "/%2509/evil.example",
                "/./\\evil.example",
                "/.//evil.example",
                "/..//evil.example",
                "/a/../..//evil.example",
                "/%2e%2e//evil.example",
                "/x/%2e/y",
                "/\u0000/evil",
                "/\u00a0/evil.example",
                "/\u3000/evil.example",
                "/\u202E/evil",
                "/%E3%80%80/evil.example",
                "/%zz",
                "/a%",
                "/x?y#\\evil"
            })
    void everything_that_could_leave_the_site_is_refused(String next) {
        assertThat(SafeNext.of(next)).isEqualTo("/");
    }

    @ParameterizedTest(name = "kept: {0}")
    @ValueSource(
            strings = {
                "/",
                "/secrets",
                "/secrets/",
                "/secrets?q=x&days=7",
                "/alerts?status=open#top",
                "/secret?arn=arn%3Aaws%3Asecretsmanager%3Aus-east-1%3A111111111111%3Asecret%3Ateam%2F..%2Fx-AbCdEf",
                "/secret?arn=arn%3Aaws%3Asecretsmanager%3Aus-east-1%3A111111111111%3Asecret%3Ainvoice%E2%80%AEtxt.exe-AbCdEf",
                "/secrets/arn:aws:secretsmanager:us-east-1:111111111111:secret:team/db+x=y.z@w-AbCdEf",
                "/secrets?q=a//b",
                "/x?next=//evil",
                "/secrets#//evil"
            })
    void a_path_on_this_server_is_kept_as_given(String next) {
        assertThat(SafeNext.of(next)).isEqualTo(next);
    }
}
