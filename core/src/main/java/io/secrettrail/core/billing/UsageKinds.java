package io.secrettrail.core.billing;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Which AWS billing lines are Secrets Manager's and KMS's, and what each usage type bills. Product codes
 * (the CUR's {@code line_item_product_code}) are matched exactly; usage types by their ending, because
 * AWS prefixes them with a region code everywhere but (usually) us-east-1 ({@code USE2-}, {@code EU-},
 * {@code APS1-}, {@code us-west-2-}...). Where AWS's strings have more than one spelling in the data
 * (singular and plural, with and without a hyphen), each is listed.
 *
 * <p>Sources: the Cost and Usage Report dictionary for the columns
 * (https://docs.aws.amazon.com/cur/latest/userguide/table-dictionary-cur2-line-item.html,
 * https://docs.aws.amazon.com/cur/latest/userguide/Lineitem-columns.html); the AWS Price List offer files
 * for the product codes and usage types
 * (https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/AWSSecretsManager/current/index.json,
 * https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/awskms/current/index.json); Cost Explorer's
 * service names from its SERVICE dimension
 * (https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_GetCostAndUsage.html).
 */
public final class UsageKinds {
    /** A secret (or replica) stored for a month, prorated: quantity in secret-months. */
    public static final String SECRETS = "secrets";
    /** Secrets Manager API requests: quantity in requests. */
    public static final String API_REQUESTS = "api-requests";
    /** KMS requests: quantity in requests. */
    public static final String KMS_REQUESTS = "kms-requests";
    /** KMS key storage: quantity in key-months. */
    public static final String KMS_KEYS = "kms-keys";

    public static final String SECRETS_MANAGER = "secretsmanager";
    public static final String KMS = "kms";

    /** CUR product codes. */
    public static final String SECRETS_MANAGER_CODE = "AWSSecretsManager";

    public static final String KMS_CODE = "awskms";

    /** Cost Explorer's SERVICE dimension values. */
    public static final String SECRETS_MANAGER_SERVICE = "AWS Secrets Manager";

    public static final String KMS_SERVICE = "AWS Key Management Service";

    private record Suffix(String service, String ending, String kind) {}

    // Longest first is not needed: no ending here is the ending of another of the same service.
    private static final List<Suffix> SUFFIXES = List.of(
            new Suffix(SECRETS_MANAGER, "awssecretsmanager-secrets", SECRETS),
            new Suffix(SECRETS_MANAGER, "awssecretsmanager-secret", SECRETS),
            new Suffix(SECRETS_MANAGER, "awssecretsmanagerapirequest", API_REQUESTS),
            new Suffix(SECRETS_MANAGER, "awssecretsmanager-apirequests", API_REQUESTS),
            new Suffix(SECRETS_MANAGER, "awssecretsmanager-apirequest", API_REQUESTS),
            new Suffix(KMS, "kms-requests", KMS_REQUESTS),
            new Suffix(KMS, "kms-keys", KMS_KEYS));

    private UsageKinds() {}

    /** {@code secretsmanager} or {@code kms} for a CUR product code, else empty (another service). */
    public static Optional<String> serviceOfProductCode(String productCode) {
        if (SECRETS_MANAGER_CODE.equals(productCode)) {
            return Optional.of(SECRETS_MANAGER);
        }
        return KMS_CODE.equals(productCode) ? Optional.of(KMS) : Optional.empty();
    }

    /** {@code secretsmanager} or {@code kms} for a Cost Explorer service name, else empty. */
    public static Optional<String> serviceOfName(String serviceName) {
        if (SECRETS_MANAGER_SERVICE.equals(serviceName)) {
            return Optional.of(SECRETS_MANAGER);
        }
        return KMS_SERVICE.equals(serviceName) ? Optional.of(KMS) : Optional.empty();
    }

    /**
     * The usage kind of a usage type of the service, matched on its ending whatever the region prefix
     * ({@code USE2-AWSSecretsManager-Secrets} and {@code AWSSecretsManager-Secrets} are both secrets); empty
     * for a usage type not reconciled (KMS asymmetric or per-operation variants such as
     * {@code KMS-Requests-Asymmetric} are kept, as usage of no kind).
     */
    public static Optional<String> kindOf(String service, String usageType) {
        if (usageType == null) {
            return Optional.empty();
        }
        String u = usageType.strip().toLowerCase(Locale.ROOT);
        for (Suffix s : SUFFIXES) {
            if (s.service().equals(service)
                    && u.endsWith(s.ending())
                    && (u.length() == s.ending().length()
                            || isPrefixEnd(u.charAt(u.length() - s.ending().length() - 1)))) {
                return Optional.of(s.kind());
            }
        }
        return Optional.empty();
    }

    /** A region prefix ends with a hyphen or a colon ({@code USE2-}, {@code EU:}). */
    private static boolean isPrefixEnd(char c) {
        return c == '-' || c == ':';
    }
}
