package io.secrettrail.analytics.alerts;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Webhooks and suppressions from settings (the --config properties file, then --set):
 * <pre>
 * webhook.oncall.url=https://hooks.slack.com/services/T000/B000/XXXX
 * webhook.oncall.format=slack
 * webhook.oncall.minSeverity=high
 * webhook.soar.url=https://soar.example.com/secrettrail
 * webhook.soar.format=generic
 * webhook.soar.secretFile=/run/secrets/soar-hmac      (or webhook.soar.secret=...)
 * webhook.soar.rules=bulk-retrieval,public-policy
 * webhook.soar.notifyClear=true
 * webhook.soar.perMinute=10
 * webhook.soar.teams=payments,unowned                (route: the owning team; unowned = no team)
 * webhook.soar.accounts=111122223333                  (route: the alert's account)
 * webhook.soar.tags=env=prod,pci                      (route: a tag key=value, or a key with any value)
 * suppress.sandbox.rule=unused-secret
 * suppress.sandbox.resource=arn:aws:secretsmanager:*:*:secret:sandbox/*
 * suppress.sandbox.reason=sandbox secrets come and go
 * suppress.sandbox.expires=2027-01-01
 * webhook.lake.format=ocsf                              (OCSF Detection Finding JSON lines, signed)
 * export.ocsf.file=/var/lib/secrettrail/findings.ocsf.jsonl (every transition appended as an OCSF line)
 * web.publicUrl=https://secrettrail.example.com       (links in messages)
 * digest.weekly.cron=cron(0 9 ? * MON *)             (a scheduled digest per team; required)
 * digest.weekly.zone=Europe/Berlin                    (default UTC)
 * digest.weekly.teams=payments,unowned                (default: every team, unowned included)
 * digest.weekly.webhook=oncall                        (default: the webhook named as the digest)
 * securityhub.enabled=true                            (Security Hub as one more target: {@link SecurityHubSettings})
 * </pre>
 * A bad setting fails at start, named.
 *
 * @param ocsfFile where every alert transition is appended as an OCSF finding, or null
 */
public record WebhookSettings(
        List<WebhookConfig> webhooks,
        List<Suppression> suppressions,
        String publicUrl,
        List<DigestConfig> digests,
        Path ocsfFile) {
    /** The fixed keys this record claims (besides {@code webhook.NAME.*}, {@code suppress.NAME.*} and {@code digest.NAME.*}). */
    public static final Set<String> KEYS = Set.of("export.ocsf.file");

    static final Set<String> FORMATS = Set.of("slack", "generic", "ocsf");
    static final Set<String> WEBHOOK_KEYS = Set.of(
            "url",
            "format",
            "minSeverity",
            "rules",
            "secret",
            "secretFile",
            "notifyClear",
            "perMinute",
            "teams",
            "accounts",
            "tags");
    /** A team name as routes and digests list it: one the ownership resolution can give ({@code unowned} is one). */
    private static final String TEAM = io.secrettrail.analytics.snapshot.Ownership.TEAM.pattern();

    static final Set<String> SUPPRESS_KEYS = Set.of("rule", "resource", "reason", "expires");

    public static WebhookSettings none() {
        return new WebhookSettings(List.of(), List.of(), "http://localhost:8080", List.of(), null);
    }

    public static WebhookSettings of(Map<String, String> settings, Set<String> ruleIds) throws IOException {
        Set<String> hooks = new TreeSet<>();
        Set<String> suppressions = new TreeSet<>();
        Set<String> digests = new TreeSet<>();
        for (String k : settings.keySet()) {
            String[] p = k.split("\\.", 3);
            if (p[0].equals("webhook")) {
                if (p.length != 3 || !WEBHOOK_KEYS.contains(p[2])) {
                    throw new IllegalArgumentException(
                            k + ": unknown webhook setting; known: webhook.NAME." + new TreeSet<>(WEBHOOK_KEYS));
                }
                hooks.add(p[1]);
            } else if (p[0].equals("suppress")) {
                if (p.length != 3 || !SUPPRESS_KEYS.contains(p[2])) {
                    throw new IllegalArgumentException(
                            k + ": unknown suppression setting; known: suppress.NAME." + new TreeSet<>(SUPPRESS_KEYS));
                }
                suppressions.add(p[1]);
            } else if (p[0].equals("digest")) {
                if (p.length != 3 || !DigestConfig.KEYS.contains(p[2])) {
                    throw new IllegalArgumentException(
                            k + ": unknown digest setting; known: digest.NAME." + new TreeSet<>(DigestConfig.KEYS));
                }
                digests.add(p[1]);
            }
        }
        List<WebhookConfig> out = new ArrayList<>();
        for (String name : hooks) {
            String prefix = "webhook." + name + ".";
            if (!name.matches("[A-Za-z0-9_-]{1,40}")) {
                throw new IllegalArgumentException(
                        prefix + "*: a webhook name is letters, digits, _ and - (at most 40)");
            }
            String rawUrl = required(settings, prefix + "url");
            URI url;
            try {
                url = new URI(rawUrl);
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException(prefix + "url: not a URL");
            }
            if (!"https".equals(url.getScheme()) && !"http".equals(url.getScheme()) || url.getHost() == null) {
                throw new IllegalArgumentException(
                        prefix + "url: must be an http(s) URL with a host, was " + WebhookConfig.mask(url));
            }
            String format = settings.getOrDefault(prefix + "format", "generic");
            if (!FORMATS.contains(format)) {
                throw new IllegalArgumentException(
                        prefix + "format: must be one of " + new TreeSet<>(FORMATS) + ", was " + format);
            }
            String min = settings.getOrDefault(prefix + "minSeverity", "low");
            if (!WebhookConfig.SEVERITIES.contains(min)) {
                throw new IllegalArgumentException(
                        prefix + "minSeverity: must be one of " + WebhookConfig.SEVERITIES + ", was " + min);
            }
            Set<String> rules = new LinkedHashSet<>();
            for (String r : settings.getOrDefault(prefix + "rules", "").split(",")) {
                if (!r.isBlank()) {
                    if (!ruleIds.contains(r.strip())) {
                        throw new IllegalArgumentException(
                                prefix + "rules: no rule " + r.strip() + "; rules: " + new TreeSet<>(ruleIds));
                    }
                    rules.add(r.strip());
                }
            }
            String secret = settings.get(prefix + "secret");
            if (settings.containsKey(prefix + "secretFile")) {
                secret = Files.readString(Path.of(settings.get(prefix + "secretFile")))
                        .strip();
            }
            if (!format.equals("slack") && (secret == null || secret.length() < 16)) {
                throw new IllegalArgumentException(prefix + "secret: " + (format.equals("ocsf") ? "an " : "a ") + format
                        + " webhook needs a signing secret of at least 16 characters" + " (secret or secretFile)");
            }
            boolean clear = io.secrettrail.core.Setting.bool(settings, prefix + "notifyClear", false);
            int perMinute;
            try {
                perMinute = Integer.parseInt(settings.getOrDefault(prefix + "perMinute", "10"));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(prefix + "perMinute: expected a whole number");
            }
            if (perMinute < 1 || perMinute > 6000) {
                throw new IllegalArgumentException(prefix + "perMinute: must be 1..6000, was " + perMinute);
            }
            out.add(new WebhookConfig(
                    name, url, format, min, Set.copyOf(rules), secret, clear, perMinute, route(settings, prefix)));
        }
        SecurityHubSettings hub = SecurityHubSettings.of(settings);
        if (hub != null) {
            if (hooks.contains(SecurityHubSettings.TARGET)) {
                throw new IllegalArgumentException(
                        "webhook." + SecurityHubSettings.TARGET
                                + ".*: that name is the Security Hub target's (securityhub.enabled); name the webhook otherwise");
            }
            out.add(hub.target());
        }
        List<Suppression> sup = new ArrayList<>();
        for (String name : suppressions) {
            String prefix = "suppress." + name + ".";
            String expires = settings.get(prefix + "expires");
            Instant until = null;
            if (expires != null) {
                try {
                    until = expires.length() == 10
                            ? LocalDate.parse(expires).atStartOfDay().toInstant(ZoneOffset.UTC)
                            : Instant.parse(expires);
                } catch (java.time.format.DateTimeParseException e) {
                    throw new IllegalArgumentException(
                            prefix + "expires: expected a date (2027-01-01) or an instant, was " + expires);
                }
            }
            sup.add(new Suppression(
                    settings.getOrDefault(prefix + "rule", "*"),
                    settings.getOrDefault(prefix + "resource", "*"),
                    required(settings, prefix + "reason"),
                    until));
        }
        return new WebhookSettings(
                List.copyOf(out),
                List.copyOf(sup),
                settings.getOrDefault("web.publicUrl", "http://localhost:8080"),
                digests(settings, digests, out),
                ocsfFile(settings));
    }

    /** export.ocsf.file: a file path whose folder exists (the file is created on the first transition). */
    private static Path ocsfFile(Map<String, String> settings) {
        String v = settings.get("export.ocsf.file");
        if (v == null) {
            return null;
        }
        if (v.isBlank()) {
            throw new IllegalArgumentException("export.ocsf.file: expected a file path, was empty");
        }
        Path p;
        try {
            p = Path.of(v.strip()).toAbsolutePath();
        } catch (java.nio.file.InvalidPathException e) {
            throw new IllegalArgumentException("export.ocsf.file: not a path: " + e.getReason());
        }
        if (Files.isDirectory(p)) {
            throw new IllegalArgumentException("export.ocsf.file: " + p + " is a folder; name a file in it");
        }
        if (p.getParent() == null || !Files.isDirectory(p.getParent())) {
            throw new IllegalArgumentException("export.ocsf.file: the folder of " + p + " does not exist");
        }
        return p;
    }

    private static List<DigestConfig> digests(
            Map<String, String> settings, Set<String> names, List<WebhookConfig> hooks) {
        List<DigestConfig> out = new ArrayList<>();
        for (String name : names) {
            String prefix = "digest." + name + ".";
            if (!name.matches("[A-Za-z0-9_-]{1,40}")) {
                // no colon: the name is part of each message id (Digests.id)
                throw new IllegalArgumentException(
                        prefix + "*: a digest name is letters, digits, _ and - (at most 40)");
            }
            io.secrettrail.analytics.schedule.Cron cron;
            try {
                cron = io.secrettrail.analytics.schedule.Cron.parse(required(settings, prefix + "cron"));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        e.getMessage().startsWith(prefix) ? e.getMessage() : prefix + "cron: " + e.getMessage());
            }
            java.time.ZoneId zone;
            String z = settings.getOrDefault(prefix + "zone", "UTC").strip();
            try {
                zone = java.time.ZoneId.of(z);
            } catch (java.time.DateTimeException e) {
                throw new IllegalArgumentException(prefix + "zone: not a time zone (Europe/Berlin, UTC), was " + z);
            }
            Set<String> teams = list(settings, prefix + "teams", TEAM, "a team name");
            String webhook = settings.getOrDefault(prefix + "webhook", name).strip();
            WebhookConfig hook = hooks.stream()
                    .filter(w -> w.name().equals(webhook))
                    .findFirst()
                    .orElseThrow(() ->
                            new IllegalArgumentException(prefix + "webhook: no webhook " + webhook + "; configured: "
                                    + hooks.stream().map(WebhookConfig::name).toList()));
            String format = hook.format();
            if (!format.equals("slack") && !format.equals("generic")) {
                throw new IllegalArgumentException(prefix + "webhook: " + webhook + " has format=" + format
                        + ", which carries one finding per alert; a digest needs slack or generic");
            }
            // a webhook routed by team takes those teams' digests only: its route says who may read it
            Route route = hook.route();
            if (!route.accounts().isEmpty() || !route.tags().isEmpty()) {
                // a team's digest covers all its secrets, whatever their account or tags
                throw new IllegalArgumentException(prefix + "webhook: " + webhook
                        + " routes by account or tag (webhook."
                        + webhook + ".accounts, webhook." + webhook + ".tags), which a team's digest, covering all its"
                        + " secrets, cannot follow; route it by teams only, or send the digest to another webhook");
            }
            Set<String> routed = route.teams();
            if (!routed.isEmpty()) {
                for (String t : new TreeSet<>(teams)) {
                    if (!routed.contains(t)) {
                        throw new IllegalArgumentException(prefix + "teams: webhook " + webhook
                                + " takes only the teams " + new TreeSet<>(routed) + " (webhook." + webhook
                                + ".teams); " + t + " is not among them");
                    }
                }
                teams = teams.isEmpty() ? routed : teams;
            }
            out.add(new DigestConfig(name, cron, zone, teams, webhook));
        }
        return List.copyOf(out);
    }

    /** A webhook's route: its teams, 12-digit accounts and tags (key=value or key), each a comma list. */
    private static Route route(Map<String, String> settings, String prefix) {
        Set<String> teams = list(settings, prefix + "teams", TEAM, "a team name");
        Set<String> accounts = list(settings, prefix + "accounts", "\\d{12}", "a 12-digit account id");
        Set<String> tags = list(settings, prefix + "tags", "[^=,]{1,128}(=[^,]{0,256})?", "key=value or key");
        return new Route(teams, accounts, tags);
    }

    /** A comma list whose items each match {@code item}; named in the error with what was expected. */
    static Set<String> list(Map<String, String> settings, String key, String item, String expected) {
        String v = settings.get(key);
        if (v == null) {
            return Set.of();
        }
        Set<String> out = new LinkedHashSet<>();
        for (String each : v.split(",", -1)) {
            String s = each.strip();
            if (!s.matches(item)) {
                throw new IllegalArgumentException(key + ": each item must be " + expected + ", was '" + s + "'");
            }
            out.add(s);
        }
        return Set.copyOf(out);
    }

    private static String required(Map<String, String> settings, String key) {
        String v = settings.get(key);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException(key + ": required");
        }
        return v.strip();
    }

    /** Whether alert transitions go anywhere: a webhook, or the OCSF file. */
    public boolean anyDestination() {
        return !webhooks.isEmpty() || ocsfFile != null;
    }

    public WebhookConfig get(String name) {
        return webhooks.stream()
                .filter(w -> w.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no webhook " + name + "; configured: "
                        + webhooks.stream().map(WebhookConfig::name).toList()));
    }
}
