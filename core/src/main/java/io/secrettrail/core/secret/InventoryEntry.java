package io.secrettrail.core.secret;

import java.time.Instant;
import java.util.Map;

/**
 * One secret as ListSecrets describes it (the {@code SecretList} entry), with its account and
 * region taken from the ARN. {@code raw} is the entry as JSON, with any secret value dropped.
 */
public record InventoryEntry(
        String arn,
        String name,
        String account,
        String region,
        String primaryRegion,
        Boolean rotationEnabled,
        String rotationLambdaArn,
        Integer rotationDays,
        Instant createdDate,
        Instant lastRotatedDate,
        Instant lastChangedDate,
        Instant lastAccessedDate,
        Instant deletedDate,
        Instant nextRotationDate,
        Map<String, String> tags,
        byte[] raw) {}
