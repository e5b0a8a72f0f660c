package io.secrettrail.web;

import io.javalin.http.Context;
import io.secrettrail.core.Text;
import java.time.Duration;

/**
 * What every request passes before its handler: the DNS-rebinding guard, the security headers,
 * the token (session cookie or Bearer), and for state-changing requests the CSRF token.
 */
final class Guards {
    /** Scripts and styles from this origin only, never inline; nothing framed, nothing posted elsewhere. */
    static final String CSP =
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self';"
                    + " font-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    /** Swagger UI sets inline styles on its elements; its page alone allows them. */
    static final String DOCS_CSP = CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'");

    private Guards() {}

    /** Refuses a request naming a host or origin not this dashboard's (DNS rebinding; see {@link HostGuard}). */
    static void host(HostGuard guard, Context ctx) {
        String origin = ctx.header("Origin");
        boolean probe = (ctx.path().equals("/health/live") || ctx.path().equals("/health/ready"))
                && origin == null
                && (ctx.method().name().equals("GET") || ctx.method().name().equals("HEAD"));
        if (probe) {
            return;
        }
        if (!guard.hostAllowed(ctx.header("Host"))) {
            throw new HttpError(
                    421,
                    "host_not_allowed",
                    "this dashboard does not answer to the host name in the request (Host: "
                            + Text.visible(String.valueOf(ctx.header("Host")))
                            + "); add it to web.allowedHosts or web.publicUrl");
        }
        if (origin != null && !guard.originAllowed(origin)) {
            throw new HttpError(
                    403,
                    "origin_not_allowed",
                    "requests from " + Text.visible(origin) + " are not accepted;"
                            + " add its host to web.allowedHosts or web.publicUrl");
        }
    }

    /** The security headers, then the token: the API and /metrics answer 401, pages redirect to the login form. */
    static void headersAndToken(Auth auth, Context ctx) {
        ctx.header("Content-Security-Policy", ctx.path().equals("/api/docs") ? DOCS_CSP : CSP);
        ctx.header("X-Content-Type-Options", "nosniff");
        // same-origin, not no-referrer: under no-referrer browsers send "Origin: null" on the page's own
        // form posts, which the DNS-rebinding guard must refuse; other sites still get no referrer
        ctx.header("Referrer-Policy", "same-origin");
        ctx.header("X-Frame-Options", "DENY");
        String p = ctx.path();
        boolean open =
                p.equals("/login") || p.startsWith("/assets/") || p.startsWith("/webjars/") || p.startsWith("/health/");
        if (!open && auth.required() && ctx.header("Authorization") != null) {
            bearerAttempt(auth, ctx);
        }
        if (!open && !auth.allowed(ctx)) {
            if (p.startsWith("/api/") || p.equals("/metrics")) {
                ctx.header("WWW-Authenticate", "Bearer");
                throw new HttpError(401, "unauthorized", "an access token is required (Authorization: Bearer TOKEN)");
            }
            ctx.redirect("/login?next=" + Pages.enc(p + (ctx.queryString() == null ? "" : "?" + ctx.queryString())));
            ctx.skipRemainingHandlers();
        }
    }

    /** A request with an Authorization header tries the token: throttled per address like the login form. */
    private static void bearerAttempt(Auth auth, Context ctx) {
        Duration wait = auth.throttle().wait(ctx.ip());
        if (!wait.isZero()) {
            ctx.header("Retry-After", Long.toString(retryAfter(wait)));
            throw new HttpError(
                    429,
                    "too_many_attempts",
                    "too many failed attempts with a wrong token from " + ctx.ip() + "; retry in " + retryAfter(wait)
                            + " s");
        }
        if (auth.bearer(ctx)) {
            auth.throttle().succeeded(ctx.ip());
        } else {
            auth.throttle().failed(ctx.ip());
        }
    }

    /** Whole seconds, rounded up: Retry-After never says 0 while the wait lasts. */
    static long retryAfter(Duration wait) {
        return (wait.toMillis() + 999) / 1000;
    }

    static void csrf(Auth auth, Context ctx) {
        if (!auth.csrfOk(
                ctx,
                ctx.contentType() != null && ctx.contentType().startsWith("application/x-www-form-urlencoded")
                        ? ctx.formParam("csrf")
                        : null)) {
            throw new HttpError(403, "csrf", "missing or wrong CSRF token (X-CSRF-Token header or csrf form field)");
        }
    }
}
