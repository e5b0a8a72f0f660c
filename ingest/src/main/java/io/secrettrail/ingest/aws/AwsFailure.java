package io.secrettrail.ingest.aws;

import io.secrettrail.ingest.SourceRunner;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Turns what the AWS SDK throws into one line an operator can act on: which kind of failure, the
 * service's own error code and message, and what to check. Messages never carry credentials (the
 * SDK's own do not; request signatures are not logged).
 */
public final class AwsFailure {
    private AwsFailure() {}

    static final Set<String> THROTTLING = Set.of(
            "ThrottlingException",
            "Throttling",
            "ThrottledException",
            "SlowDown",
            "RequestLimitExceeded",
            "TooManyRequestsException",
            "RequestThrottled",
            "RequestThrottledException",
            "ProvisionedThroughputExceededException",
            "BandwidthLimitExceeded",
            "LimitExceededException");
    static final Set<String> EXPIRED =
            Set.of("ExpiredToken", "ExpiredTokenException", "RequestExpired", "TokenRefreshRequired");
    static final Set<String> INVALID_CREDENTIALS = Set.of(
            "UnrecognizedClientException",
            "InvalidClientTokenId",
            "InvalidAccessKeyId",
            "SignatureDoesNotMatch",
            "IncompleteSignature",
            "MissingAuthenticationToken",
            "InvalidToken");
    static final Set<String> DENIED =
            Set.of("AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "AllAccessDisabled");

    /** For {@link SourceRunner}: AWS errors explained, anything else as it is. */
    public static SourceRunner.Failure explain(Exception e) {
        SdkException sdk = find(e);
        if (sdk == null) {
            return new SourceRunner.Failure(e.getMessage() == null ? e.toString() : e.getMessage(), false);
        }
        return new SourceRunner.Failure(describe(sdk), throttled(sdk));
    }

    public static boolean throttled(SdkException e) {
        return e instanceof AwsServiceException s && (s.isThrottlingException() || THROTTLING.contains(code(s)));
    }

    public static String describe(SdkException e) {
        if (e instanceof AwsServiceException s) {
            String code = code(s);
            String service =
                    s.awsErrorDetails() == null ? "AWS" : s.awsErrorDetails().serviceName();
            String said = service + " said " + code + " (HTTP " + s.statusCode() + "): " + message(s);
            if (throttled(e)) {
                return "throttled: " + said + "; backing off";
            }
            if (EXPIRED.contains(code)) {
                return "credentials expired: " + said
                        + "; renew them (aws sso login, refresh the profile or the web identity token)"
                        + " — assumed roles are renewed automatically";
            }
            if (INVALID_CREDENTIALS.contains(code)) {
                return "credentials not accepted: " + said + "; check the access key, profile or role";
            }
            if (DENIED.contains(code) || s.statusCode() == 403) {
                return "access denied: " + said + "; grant the permission named above to the role SecretTrail uses"
                        + " (see README, AWS sources, for the policy)";
            }
            if ("NoSuchBucket".equals(code)) {
                return "no such bucket: " + said + "; check aws.s3.bucket and aws.s3.region";
            }
            return said;
        }
        if (e instanceof SdkClientException c) {
            String m = c.getMessage() == null ? c.toString() : c.getMessage();
            if (m.contains("Unable to load credentials") || m.contains("credentials")) {
                return "no usable AWS credentials: " + firstLine(m)
                        + "; set AWS_PROFILE, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, a web identity, or run with an instance/container role";
            }
            return "cannot reach AWS: " + firstLine(m);
        }
        return firstLine(String.valueOf(e.getMessage()));
    }

    private static SdkException find(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SdkException s) {
                return s;
            }
        }
        return null;
    }

    private static String code(AwsServiceException s) {
        return s.awsErrorDetails() == null || s.awsErrorDetails().errorCode() == null
                ? "HTTP " + s.statusCode()
                : s.awsErrorDetails().errorCode();
    }

    private static String message(AwsServiceException s) {
        String m = s.awsErrorDetails() == null ? null : s.awsErrorDetails().errorMessage();
        return m == null ? "(no message)" : firstLine(m);
    }

    private static String firstLine(String m) {
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
