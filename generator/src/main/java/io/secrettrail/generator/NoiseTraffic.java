package io.secrettrail.generator;

import java.util.List;
import java.util.SplittableRandom;

/** Draws records of other services so that Secrets Manager records are a minority to find. */
final class NoiseTraffic {
    private static final String[] BUCKET_PURPOSES = {"data-lake", "artifacts", "logs", "exports"};
    private static final String[] FUNCTIONS = {"orders-webhook", "thumbnailer", "nightly-report", "rotate-db-password"};
    private static final String[] LOOKUPS = {"ConsoleLogin", "GetSecretValue", "DeleteBucket", "CreateUser"};

    private final SecretCatalog catalog;
    private final PrincipalCatalog principals;

    NoiseTraffic(SecretCatalog catalog, PrincipalCatalog principals) {
        this.catalog = catalog;
        this.principals = principals;
    }

    NoiseRecord next(long t, SplittableRandom rng) {
        int accountRegion = rng.nextInt(Topology.ACCOUNT_REGION_COUNT);
        int account = Topology.accountIndexOf(accountRegion);
        String acct = Topology.ACCOUNTS.get(account);
        String region = Topology.region(accountRegion);
        double u = rng.nextDouble();
        NoiseRecord.Kind kind = u < 0.30
                ? NoiseRecord.Kind.S3_GET_OBJECT
                : u < 0.38
                        ? NoiseRecord.Kind.S3_LIST_OBJECTS
                        : u < 0.53
                                ? NoiseRecord.Kind.STS_ASSUME_ROLE
                                : u < 0.68
                                        ? NoiseRecord.Kind.EC2_DESCRIBE_INSTANCES
                                        : u < 0.88
                                                ? NoiseRecord.Kind.KMS_DECRYPT
                                                : u < 0.92
                                                        ? NoiseRecord.Kind.CLOUDTRAIL_LOOKUP
                                                        : NoiseRecord.Kind.LAMBDA_INVOKE;
        SyntheticSecret secret = null;
        Principal p;
        if (kind == NoiseRecord.Kind.KMS_DECRYPT
                && (secret = catalog.pickIn(accountRegion, t, rng)) != null
                && secret.usualReaders.length > 0) {
            p = principals.all().get(secret.usualReaders[rng.nextInt(secret.usualReaders.length)]);
            if (p.type == Principal.Type.AWS_SERVICE || p.crossAccount) {
                p = principals.kmsCaller(account);
            }
        } else {
            List<Principal> own = principals.of(account);
            do {
                p = own.get(rng.nextInt(own.size()));
            } while (p.type == Principal.Type.AWS_SERVICE);
        }
        NoiseRecord r = new NoiseRecord(kind, t, accountRegion, p);
        r.sessionIndex = p.sessionNames == null ? 0 : rng.nextInt(p.sessionNames.length);
        r.sourceIp = p.sourceIps[rng.nextInt(p.sourceIps.length)];
        r.userAgent = p.userAgents[rng.nextInt(p.userAgents.length)];
        if (UserAgents.HOSTILE.equals(r.userAgent)) {
            r.userAgent = UserAgents.GO;
        }
        r.eventId = RandomText.uuid(rng);
        r.requestId = kind == NoiseRecord.Kind.S3_GET_OBJECT || kind == NoiseRecord.Kind.S3_LIST_OBJECTS
                ? RandomText.upperAlnum(rng, 16)
                : RandomText.uuid(rng);
        r.tlsVariant = rng.nextInt(8);
        switch (kind) {
            case S3_GET_OBJECT, S3_LIST_OBJECTS -> {
                r.bucket = "acme-" + BUCKET_PURPOSES[rng.nextInt(BUCKET_PURPOSES.length)] + "-" + acct + "-" + region;
                String day = TimeText.instant(t).substring(0, 10).replace('-', '/');
                r.objectKeyOrPrefix = kind == NoiseRecord.Kind.S3_GET_OBJECT
                        ? "exports/" + day + "/part-" + (10000 + rng.nextInt(90000)) + ".parquet"
                        : "exports/" + day + "/";
                r.amzId2 = RandomText.base64(rng, 4);
                r.bytesTransferredOut = 1000 + rng.nextLong(50_000_000);
            }
            case STS_ASSUME_ROLE -> {
                String role = rng.nextBoolean() ? "payments-api-task" : "reporting-batch";
                r.roleArn = "arn:aws:iam::" + acct + ":role/" + role;
                r.roleSessionName = "botocore-session-" + (1_700_000_000 + rng.nextInt(90_000_000));
                r.sessionAccessKeyId = "ASIA" + RandomText.upperAlnum(rng, 16);
                r.assumedRoleArn = "arn:aws:sts::" + acct + ":assumed-role/" + role + "/" + r.roleSessionName;
                r.sharedEventId = RandomText.uuid(rng);
            }
            case EC2_DESCRIBE_INSTANCES -> r.instanceId = "i-0" + RandomText.hex(rng, 16);
            case KMS_DECRYPT -> {
                r.secret = secret;
                r.kmsKeyId = RandomText.uuid(rng);
                if (secret != null) {
                    // Secrets Manager decrypts with the secret's key: the account's aws/secretsmanager key in its
                    // region
                    r.kmsKeyId = NoiseRecord.secretsManagerKeyId(acct, region);
                    r.secretVersionId = secret.versionId;
                } else {
                    r.ebsVolumeId =
                            "vol-0" + RandomText.uuid(rng).substring(0, 16).replace("-", "a");
                }
            }
            case CLOUDTRAIL_LOOKUP -> r.lookupEventName = LOOKUPS[rng.nextInt(LOOKUPS.length)];
            case LAMBDA_INVOKE -> r.functionName = FUNCTIONS[rng.nextInt(FUNCTIONS.length)];
        }
        return r;
    }
}
