package io.secrettrail.web;

import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Access token and sessions, and CSRF tokens.
 *
 * <ul>
 * <li>With a token configured, every page and API call needs it: an {@code Authorization: Bearer}
 *     header, or the session cookie the login form sets (HttpOnly, SameSite=Strict, 12 hours).
 * <li>State-changing calls need a CSRF token unless they carry the Bearer header (which a browser
 *     never adds on its own): a hidden form field or {@code X-CSRF-Token} header equal to
 *     HMAC(server secret, session), and never a cross-site {@code Sec-Fetch-Site}.
 * </ul>
 */
final class Auth {
    static final String COOKIE = "secrettrail_session";
    static final Duration SESSION = Duration.ofHours(12);

    record Session(String actor, Instant expires) {}

    private final String token;
    private final Clock clock;
    private final byte[] csrfKey = new byte[32];
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final LoginThrottle throttle;

    Auth(String token, Clock clock) {
        this.token = token;
        this.clock = clock;
        this.throttle = new LoginThrottle(clock);
        random.nextBytes(csrfKey);
    }

    /** Failed token tries per client address (login form and Bearer header). */
    LoginThrottle throttle() {
        return throttle;
    }

    boolean required() {
        return token != null;
    }

    boolean bearer(Context ctx) {
        String h = ctx.header("Authorization");
        return token != null
                && h != null
                && h.startsWith("Bearer ")
                && same(h.substring(7).trim(), token);
    }

    /** The session of the request's cookie, if valid. */
    Session session(Context ctx) {
        String id = ctx.cookie(COOKIE);
        if (id == null) {
            return null;
        }
        Session s = sessions.get(id);
        if (s == null || !s.expires().isAfter(clock.instant())) {
            sessions.remove(id);
            return null;
        }
        return s;
    }

    boolean allowed(Context ctx) {
        return !required() || bearer(ctx) || session(ctx) != null;
    }

    /** Who acts: the session's name, the API token, or the loopback caller. */
    String actor(Context ctx) {
        if (bearer(ctx)) {
            return "api-token@" + ctx.ip();
        }
        Session s = session(ctx);
        return s != null ? s.actor() + "@" + ctx.ip() : "loopback@" + ctx.ip();
    }

    /** Checks the token of the login form; on success sets the session cookie. */
    boolean login(Context ctx, String given, String name) {
        if (token == null || given == null || !same(given, token)) {
            return false;
        }
        byte[] id = new byte[32];
        random.nextBytes(id);
        String sid = HexFormat.of().formatHex(id);
        String actor = name == null || name.isBlank() ? "user" : name.strip().replaceAll("[^A-Za-z0-9._@-]", "_");
        sessions.put(
                sid,
                new Session(
                        actor.length() > 64 ? actor.substring(0, 64) : actor,
                        clock.instant().plus(SESSION)));
        // Secure when the browser came over TLS (directly or through a proxy that says so).
        boolean tls =
                "https".equalsIgnoreCase(ctx.scheme()) || "https".equalsIgnoreCase(ctx.header("X-Forwarded-Proto"));
        ctx.header(
                "Set-Cookie",
                COOKIE + "=" + sid + "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" + SESSION.toSeconds()
                        + (tls ? "; Secure" : ""));
        return true;
    }

    void logout(Context ctx) {
        String id = ctx.cookie(COOKIE);
        if (id != null) {
            sessions.remove(id);
        }
        ctx.header("Set-Cookie", COOKIE + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
    }

    /** The CSRF token for the request's session (or for cookie-less loopback use). */
    String csrf(Context ctx) {
        String id = ctx.cookie(COOKIE);
        String bound = id != null && sessions.containsKey(id) ? id : "no-session";
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(csrfKey, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(bound.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether a state-changing request passes the CSRF check. */
    boolean csrfOk(Context ctx, String formToken) {
        if (bearer(ctx)) {
            return true;
        }
        if ("cross-site".equals(ctx.header("Sec-Fetch-Site"))) {
            return false;
        }
        String given = ctx.header("X-CSRF-Token") != null ? ctx.header("X-CSRF-Token") : formToken;
        return given != null && same(given, csrf(ctx));
    }

    /** Constant-time comparison of two secrets. */
    static boolean same(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
