package io.secrettrail.ingest.aws;

import io.secrettrail.core.Setting;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The AWS sources, from {@code aws.*} settings (config file, then {@code --set}). Validated at
 * once: a bad or unknown setting is named. Credentials are never settings: they come from the AWS
 * SDK's default chain (environment, profile, SSO, web identity, container or instance role), and
 * per account from a role assumed through STS.
 *
 * @param regions regions every source covers (the S3 source discovers them when empty)
 * @param accounts accounts to read; empty means the account of the default credentials (the S3
 *     source discovers accounts under the trail prefix instead)
 * @param roleName role assumed in every account ({@code arn:aws:iam::ACCOUNT:role/NAME}), or null
 * @param roles per-account role ARNs, winning over {@code roleName}
 * @param endpoints endpoint overrides by service (s3, cloudtrail, secretsmanager, sts, ce, securityhub), {@code *} for all
 * @param billing where AWS's billing data is read from ({@code --cur s3://...}, Cost Explorer)
 */
public record AwsConfig(
        List<String> regions,
        List<String> accounts,
        String roleName,
        Map<String, String> roles,
        String externalId,
        String sessionName,
        Map<String, URI> endpoints,
        int maxAttempts,
        S3 s3,
        Lookup lookup,
        Inventory inventory,
        Billing billing) {

    private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d{1,2}");
    private static final Pattern ORG = Pattern.compile("o-[a-z0-9]{10,32}");
    private static final Set<String> SERVICES =
            Set.of("s3", "cloudtrail", "secretsmanager", "sts", "ce", "securityhub");
    private static final Set<String> KEYS = Set.of(
            "aws.regions",
            "aws.accounts",
            "aws.roleName",
            "aws.externalId",
            "aws.sessionName",
            "aws.endpoint",
            "aws.maxAttempts",
            "aws.s3.bucket",
            "aws.s3.prefix",
            "aws.s3.organizationId",
            "aws.s3.region",
            "aws.s3.roleArn",
            "aws.s3.backfill",
            "aws.s3.interval",
            "aws.s3.pathStyle",
            "aws.s3.threads",
            "aws.s3.lateArrival",
            "aws.lookup.enabled",
            "aws.lookup.backfill",
            "aws.lookup.interval",
            "aws.lookup.overlap",
            "aws.lookup.window",
            "aws.lookup.requestsPerSecond",
            "aws.inventory.enabled",
            "aws.inventory.interval",
            "aws.inventory.policies",
            "aws.inventory.replication",
            "aws.cur.region",
            "aws.cur.pathStyle",
            "aws.billing.cur",
            "aws.billing.costExplorer",
            "aws.billing.interval",
            "aws.billing.maxObjectBytes");

    /**
     * A CloudTrail trail's bucket. Lists {@code PREFIX/AWSLogs/[ORG/]ACCOUNT/CloudTrail/REGION/YYYY/MM/DD/}
     * day by day, from {@code backfill} ago on the first start.
     */
    public record S3(
            String bucket,
            String prefix,
            String organizationId,
            String region,
            String roleArn,
            Duration backfill,
            Duration interval,
            boolean pathStyle,
            int threads,
            Duration lateArrival) {
        /** {@code PREFIX/AWSLogs/[ORG/]}: where account folders start. */
        public String logsRoot() {
            String p = prefix.isEmpty() ? "" : prefix.endsWith("/") ? prefix : prefix + "/";
            return p + "AWSLogs/" + (organizationId == null ? "" : organizationId + "/");
        }
    }

    /**
     * CloudTrail LookupEvents for {@code secretsmanager.amazonaws.com}, per account and region.
     *
     * @param overlap how far back each pass looks again for events that became visible late
     * @param window the longest time span one query covers (bounds the eventIDs held per query)
     */
    public record Lookup(
            boolean enabled,
            Duration backfill,
            Duration interval,
            Duration overlap,
            Duration window,
            double requestsPerSecond) {}

    /**
     * ListSecrets, planned deletions included, per account and region.
     *
     * @param policies whether the source also reads each secret's resource policy (GetResourcePolicy) when the
     *     secret is new, its LastChangedDate moved, or a policy change was published
     * @param replication whether it also describes each primary (DescribeSecret) when it is new or its
     *     LastChangedDate moved, for the regions of its replicas
     */
    public record Inventory(boolean enabled, Duration interval, boolean policies, boolean replication) {}

    /**
     * AWS's billing data: the region of the bucket Cost and Usage Report exports are downloaded from
     * ({@code aws.cur.region}: default {@code aws.s3.region}, else the first of {@code aws.regions}, else
     * us-east-1) and whether it is addressed path-style ({@code aws.cur.pathStyle}). Cost Explorer has one
     * endpoint, in us-east-1 ({@code aws.endpoint.ce} overrides it).
     *
     * <p>The long-running process ({@code serve}, {@code analytics}) imports on its own: {@code aws.billing.cur}
     * lists export locations (directories, files, {@code s3://bucket/prefix}), {@code aws.billing.costExplorer}
     * asks Cost Explorer for the open month and the last closed one, every {@code aws.billing.interval}.
     *
     * @param cur export locations imported by the long-running process; empty: none
     * @param costExplorer whether the long-running process asks Cost Explorer
     * @param interval how often the long-running process imports again
     * @param maxObjectBytes the largest object a {@code s3://} export location's download fetches
     *     ({@code aws.billing.maxObjectBytes}, default 2 GiB); a larger one is named and skipped
     */
    public record Billing(
            String curRegion,
            boolean curPathStyle,
            List<String> cur,
            boolean costExplorer,
            Duration interval,
            long maxObjectBytes) {
        /** The default size cap of one downloaded export object: 2 GiB. */
        public static final long MAX_OBJECT_BYTES = 2L * 1024 * 1024 * 1024;

        public Billing {
            cur = List.copyOf(cur);
        }

        /** Whether the long-running process imports billing data at all. */
        public boolean imports() {
            return !cur.isEmpty() || costExplorer;
        }
    }

    public static AwsConfig of(Map<String, String> settings) {
        Map<String, String> roles = new LinkedHashMap<>();
        Map<String, URI> endpoints = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : settings.entrySet()) {
            String k = e.getKey();
            if (!k.startsWith("aws.") || KEYS.contains(k)) {
                continue;
            }
            if (k.startsWith("aws.role.")) {
                String account = k.substring("aws.role.".length());
                if (!ACCOUNT.matcher(account).matches()) {
                    throw new IllegalArgumentException(k + ": expected aws.role.ACCOUNT with a 12-digit account id");
                }
                if (!e.getValue().matches("arn:aws[a-z-]*:iam::" + account + ":role/.+")) {
                    throw new IllegalArgumentException(
                            k + ": expected an IAM role ARN in account " + account + ", was " + e.getValue());
                }
                roles.put(account, e.getValue().strip());
            } else if (k.startsWith("aws.endpoint.")) {
                String service = k.substring("aws.endpoint.".length());
                if (!SERVICES.contains(service)) {
                    throw new IllegalArgumentException(k + ": no such service; known: " + new TreeSet<>(SERVICES));
                }
                endpoints.put(service, uri(k, e.getValue()));
            } else {
                throw new IllegalArgumentException(k + ": unknown AWS setting; known: " + new TreeSet<>(KEYS)
                        + ", aws.role.ACCOUNT, aws.endpoint.SERVICE");
            }
        }
        if (settings.containsKey("aws.endpoint")) {
            endpoints.put("*", uri("aws.endpoint", settings.get("aws.endpoint")));
        }
        List<String> regions = Setting.list(settings, "aws.regions");
        for (String r : regions) {
            if (!REGION.matcher(r).matches()) {
                throw new IllegalArgumentException("aws.regions: not a region name: " + r);
            }
        }
        List<String> accounts = Setting.list(settings, "aws.accounts");
        for (String a : accounts) {
            if (!ACCOUNT.matcher(a).matches()) {
                throw new IllegalArgumentException("aws.accounts: not a 12-digit account id: " + a);
            }
        }
        String roleName = blankToNull(settings.get("aws.roleName"));
        if (roleName != null && !roleName.matches("[\\w+=,.@/-]{1,512}")) {
            throw new IllegalArgumentException("aws.roleName: not an IAM role name or path: " + roleName);
        }
        String bucket = blankToNull(settings.get("aws.s3.bucket"));
        if (bucket != null && !bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
            throw new IllegalArgumentException("aws.s3.bucket: not an S3 bucket name: " + bucket);
        }
        String org = blankToNull(settings.get("aws.s3.organizationId"));
        if (org != null && !ORG.matcher(org).matches()) {
            throw new IllegalArgumentException("aws.s3.organizationId: expected o-xxxxxxxxxx, was " + org);
        }
        String s3Region = blankToNull(settings.get("aws.s3.region"));
        if (s3Region == null && bucket != null) {
            if (regions.isEmpty()) {
                throw new IllegalArgumentException(
                        "aws.s3.region: the bucket's region is needed (or list aws.regions; the first is used)");
            }
            s3Region = regions.get(0);
        }
        S3 s3 = bucket == null
                ? null
                : new S3(
                        bucket,
                        settings.getOrDefault("aws.s3.prefix", "").strip(),
                        org,
                        s3Region,
                        blankToNull(settings.get("aws.s3.roleArn")),
                        max(
                                Setting.duration(settings, "aws.s3.backfill", Duration.ofDays(1)),
                                Duration.ofDays(400),
                                "aws.s3.backfill"),
                        Setting.duration(settings, "aws.s3.interval", Duration.ofMinutes(1)),
                        Setting.bool(settings, "aws.s3.pathStyle", false),
                        (int) Setting.whole(settings, "aws.s3.threads", 4, 1, 64),
                        max(
                                Setting.duration(settings, "aws.s3.lateArrival", Duration.ofHours(1)),
                                Duration.ofDays(3),
                                "aws.s3.lateArrival"));
        boolean lookupOn = Setting.bool(settings, "aws.lookup.enabled", false);
        Lookup lookup = new Lookup(
                lookupOn,
                max(
                        Setting.duration(settings, "aws.lookup.backfill", Duration.ofDays(90)),
                        Duration.ofDays(90),
                        "aws.lookup.backfill"),
                Setting.duration(settings, "aws.lookup.interval", Duration.ofMinutes(1)),
                max(
                        Setting.duration(settings, "aws.lookup.overlap", Duration.ofMinutes(15)),
                        Duration.ofDays(1),
                        "aws.lookup.overlap"),
                Setting.duration(settings, "aws.lookup.window", Duration.ofHours(6)),
                rate(settings.get("aws.lookup.requestsPerSecond")));
        Inventory inventory = new Inventory(
                Setting.bool(settings, "aws.inventory.enabled", false),
                Setting.duration(settings, "aws.inventory.interval", Duration.ofMinutes(15)),
                Setting.bool(settings, "aws.inventory.policies", true),
                Setting.bool(settings, "aws.inventory.replication", true));
        if ((lookup.enabled() || inventory.enabled()) && regions.isEmpty()) {
            throw new IllegalArgumentException(
                    "aws.regions: LookupEvents and the inventory need the regions to read (comma-separated)");
        }
        return new AwsConfig(
                List.copyOf(regions),
                List.copyOf(accounts),
                roleName,
                Map.copyOf(roles),
                blankToNull(settings.get("aws.externalId")),
                settings.getOrDefault("aws.sessionName", "secrettrail").strip(),
                Map.copyOf(endpoints),
                (int) Setting.whole(settings, "aws.maxAttempts", 5, 1, 20),
                s3,
                lookup,
                inventory,
                billing(settings, s3Region, regions));
    }

    /** True when any AWS source is configured. */
    public boolean any() {
        return s3 != null || lookup.enabled() || inventory.enabled();
    }

    /** The role to assume in an account, or null for the default credentials. */
    public String roleFor(String account, String region) {
        String explicit = roles.get(account);
        if (explicit != null || roleName == null) {
            return explicit;
        }
        return "arn:" + partition(region) + ":iam::" + account + ":role/" + roleName;
    }

    /** The endpoint override for a service, or null for AWS's own. */
    public URI endpoint(String service) {
        return endpoints.getOrDefault(service, endpoints.get("*"));
    }

    static String partition(String region) {
        if (region == null) {
            return "aws";
        }
        if (region.startsWith("cn-")) {
            return "aws-cn";
        }
        return region.startsWith("us-gov-") ? "aws-us-gov" : "aws";
    }

    private static Billing billing(Map<String, String> settings, String s3Region, List<String> regions) {
        String region = blankToNull(settings.get("aws.cur.region"));
        if (region != null && !REGION.matcher(region).matches()) {
            throw new IllegalArgumentException("aws.cur.region: not a region name: " + region);
        }
        if (region == null) {
            region = s3Region != null ? s3Region : regions.isEmpty() ? "us-east-1" : regions.get(0);
        }
        List<String> cur = Setting.list(settings, "aws.billing.cur");
        for (String c : cur) {
            if (c.startsWith("s3:")) {
                try {
                    CurDownload.Location.parse(c);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("aws.billing.cur: not an s3://bucket/prefix location: " + c);
                }
            }
        }
        boolean ce = Setting.bool(settings, "aws.billing.costExplorer", false);
        if (ce && regions.isEmpty()) {
            throw new IllegalArgumentException(
                    "aws.billing.costExplorer: aws.regions must list the regions to ask for (one query per region)");
        }
        Duration interval = Setting.duration(settings, "aws.billing.interval", Duration.ofHours(6));
        if (interval.compareTo(Duration.ofMinutes(5)) < 0 || interval.compareTo(Duration.ofDays(31)) > 0) {
            throw new IllegalArgumentException(
                    "aws.billing.interval: between 5 minutes and 31 days (AWS updates its billing data a few times"
                            + " a day), was " + interval);
        }
        // a CUR 2.0 part is rarely above a few hundred MB; the cap keeps one odd object from filling the work dir
        long maxObject = Setting.whole(settings, "aws.billing.maxObjectBytes", Billing.MAX_OBJECT_BYTES, 1, 1L << 40);
        return new Billing(region, Setting.bool(settings, "aws.cur.pathStyle", false), cur, ce, interval, maxObject);
    }

    private static double rate(String v) {
        if (v == null) {
            return 2.0;
        }
        try {
            double d = Double.parseDouble(v.strip());
            if (!(d > 0 && d <= 2.0)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "aws.lookup.requestsPerSecond: must be above 0 and at most 2 (LookupEvents' limit per account"
                            + " and region), was " + v);
        }
    }

    private static Duration max(Duration d, Duration limit, String name) {
        if (d.compareTo(limit) > 0) {
            throw new IllegalArgumentException(name + ": at most " + limit.toDays() + " days, was " + d);
        }
        return d;
    }

    private static URI uri(String name, String v) {
        try {
            URI u = URI.create(v.strip());
            if (u.getScheme() == null || !u.getScheme().matches("https?") || u.getHost() == null) {
                throw new IllegalArgumentException();
            }
            return u;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": expected an http(s) URL, was " + v);
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
