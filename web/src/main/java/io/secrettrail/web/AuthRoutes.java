package io.secrettrail.web;

import io.javalin.http.Context;
import java.time.Duration;

/** The login form, logging in (throttled per address) and out. */
final class AuthRoutes {
    private final Auth auth;

    AuthRoutes(Auth auth) {
        this.auth = auth;
    }

    void form(Context ctx) {
        ctx.html(Pages.login(SafeNext.of(ctx.queryParam("next")), null));
    }

    void login(Context ctx) {
        if (!auth.required()) {
            ctx.redirect("/");
            return;
        }
        Duration wait = auth.throttle().wait(ctx.ip());
        if (!wait.isZero()) {
            ctx.status(429)
                    .header("Retry-After", Long.toString(Guards.retryAfter(wait)))
                    .html(Pages.login(
                            SafeNext.of(ctx.formParam("next")),
                            "Too many failed logins from your address; try again in " + Guards.retryAfter(wait)
                                    + " s."));
        } else if (auth.login(ctx, ctx.formParam("token"), ctx.formParam("name"))) {
            auth.throttle().succeeded(ctx.ip());
            ctx.redirect(SafeNext.of(ctx.formParam("next")));
        } else {
            auth.throttle().failed(ctx.ip());
            ctx.status(401).html(Pages.login(SafeNext.of(ctx.formParam("next")), "That token is not right."));
        }
    }

    void logout(Context ctx) {
        Guards.csrf(auth, ctx);
        auth.logout(ctx);
        ctx.redirect("/login");
    }
}
