package io.secrettrail.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Issue 12, item 9: which Host and Origin values name this dashboard. */
class HostGuardTest {
    final HostGuard guard = new HostGuard(new WebConfig("127.0.0.1", 8080)
            .withSettings(Map.of(
                    "web.publicUrl",
                    "https://SecretTrail.example.com/base",
                    "web.allowedHosts",
                    "dash.internal, 10.0.0.5,[fd00::5]")));

    @ParameterizedTest
    @ValueSource(
            strings = {
                "localhost",
                "localhost:8080",
                "LOCALHOST:1",
                "localhost.",
                "127.0.0.1",
                "127.0.0.1:8080",
                "127.1.2.3:99",
                "127.255.255.255",
                "[::1]",
                "[::1]:8080",
                "secrettrail.example.com",
                "secrettrail.example.com:443",
                "dash.internal:8080",
                "10.0.0.5",
                "[fd00::5]:8080"
            })
    void hosts_on_the_list_are_served(String host) {
        assertThat(guard.hostAllowed(host)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "evil.example",
                "evil.example:8080",
                "127.0.0.1.evil.example",
                "localhost.evil.example",
                "evillocalhost",
                "128.0.0.1",
                "127.0.0.256",
                "127.0.0",
                "0.0.0.0",
                "[::2]",
                "[::1",
                "::1",
                "localhost:80:80",
                "localhost:abc",
                "localhost@evil.example",
                "evil.example#@localhost",
                "",
                " ",
                "10.0.0.6",
                "sub.dash.internal",
                "secrettrail.example.com.evil.example"
            })
    void other_hosts_are_refused(String host) {
        assertThat(guard.hostAllowed(host)).isFalse();
    }

    @Test
    void origins_must_be_http_urls_of_an_allowed_host() {
        assertThat(guard.originAllowed("http://localhost:5173")).isTrue();
        assertThat(guard.originAllowed("https://secrettrail.example.com")).isTrue();
        assertThat(guard.originAllowed("http://127.0.0.1:8080")).isTrue();
        assertThat(guard.originAllowed("http://evil.example")).isFalse();
        assertThat(guard.originAllowed("null")).isFalse();
        assertThat(guard.originAllowed("file://")).isFalse();
        assertThat(guard.originAllowed("http://user@localhost")).isFalse();
        assertThat(guard.originAllowed("http://localhost/path")).isFalse();
        assertThat(guard.originAllowed("chrome-extension://abc")).isFalse();
        assertThat(guard.originAllowed("http://localhost.evil.example")).isFalse();
    }

    @Test
    void a_concrete_bind_address_is_allowed_but_a_wildcard_is_not() {
        HostGuard bound = new HostGuard(new WebConfig("10.1.2.3", 8080, "correct-horse-battery-staple"));
        assertThat(bound.hostAllowed("10.1.2.3:8080")).isTrue();
        HostGuard any = new HostGuard(new WebConfig("0.0.0.0", 8080, "correct-horse-battery-staple"));
        assertThat(any.hostAllowed("0.0.0.0:8080")).isFalse();
        assertThat(any.hostAllowed("10.1.2.3:8080")).isFalse();
    }

    @Test
    void web_settings_are_checked_at_start() {
        WebConfig c = new WebConfig("127.0.0.1", 8080);
        assertThatThrownBy(() -> c.withSettings(Map.of("web.allowedHost", "x")))
                .hasMessageContaining("web.allowedHost: unknown web setting");
        assertThatThrownBy(() -> c.withSettings(Map.of("web.allowedHosts", "http://x.example")))
                .hasMessageContaining("web.allowedHosts: not a host");
        assertThatThrownBy(() -> c.withSettings(Map.of("web.allowedHosts", "x.example:8080")))
                .hasMessageContaining("web.allowedHosts");
        assertThatThrownBy(() -> c.withSettings(Map.of("web.allowedHosts", "a b")))
                .hasMessageContaining("web.allowedHosts");
        assertThatThrownBy(() -> c.withSettings(Map.of("web.publicUrl", "secrettrail.example.com")))
                .hasMessageContaining("web.publicUrl");
        assertThat(c.withSettings(Map.of("web.allowedHosts", "A.Example., b.example"))
                        .allowedHosts())
                .containsExactly("a.example", "b.example");
        assertThat(c.withSettings(Map.of("aws.regions", "us-east-1")).allowedHosts())
                .isEmpty();
    }
}
