package io.secrettrail.ingest.aws;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;

/**
 * The {account, region} pairs an S3 trail holds: the configured ones, or those discovered under
 * {@code AWSLogs/[o-…/]} (organisation trails included), discovered again every hour.
 */
final class AccountRegions {
    // logged under the source's name, as before the split, so log configuration keeps applying
    private static final Logger log = LoggerFactory.getLogger(S3TrailSource.class);
    private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
    private static final Duration REDISCOVER = Duration.ofHours(1);

    private final S3Client s3;
    private final AwsConfig.S3 config;
    private final List<String> accounts;
    private final List<String> regions;
    private final String sourceName;
    private List<String[]> discovered;
    private Instant discoveredAt;

    AccountRegions(S3Client s3, AwsConfig.S3 config, List<String> accounts, List<String> regions, String sourceName) {
        this.s3 = s3;
        this.config = config;
        this.accounts = List.copyOf(accounts);
        this.regions = List.copyOf(regions);
        this.sourceName = sourceName;
    }

    /** {account, region} pairs: configured, or discovered under the logs root (cached for an hour). */
    List<String[]> at(Instant now) {
        if (!accounts.isEmpty() && !regions.isEmpty()) {
            List<String[]> out = new ArrayList<>();
            for (String a : accounts) {
                for (String r : regions) {
                    out.add(new String[] {a, r});
                }
            }
            return out;
        }
        if (discovered != null && discoveredAt.plus(REDISCOVER).isAfter(now)) {
            return discovered;
        }
        List<String> as = accounts.isEmpty()
                ? folders(config.logsRoot()).stream()
                        .filter(a -> ACCOUNT.matcher(a).matches())
                        .toList()
                : accounts;
        List<String[]> out = new ArrayList<>();
        for (String a : as) {
            for (String r : regions.isEmpty() ? folders(config.logsRoot() + a + "/CloudTrail/") : regions) {
                out.add(new String[] {a, r});
            }
        }
        if (out.isEmpty()) {
            log.warn(
                    "{}: no CloudTrail folders under s3://{}/{} yet (is aws.s3.prefix or aws.s3.organizationId right?)",
                    sourceName,
                    config.bucket(),
                    config.logsRoot());
        }
        discovered = out;
        discoveredAt = now;
        return out;
    }

    private List<String> folders(String prefix) {
        List<String> out = new ArrayList<>();
        for (var page : s3.listObjectsV2Paginator(
                b -> b.bucket(config.bucket()).prefix(prefix).delimiter("/"))) {
            for (CommonPrefix p : page.commonPrefixes()) {
                String rest = p.prefix().substring(prefix.length());
                out.add(rest.endsWith("/") ? rest.substring(0, rest.length() - 1) : rest);
            }
        }
        return out;
    }
}
