package io.secrettrail.core.event;

/**
 * The caller of an event, keyed so that it stays stable across sessions: an assumed-role session
 * counts as its role, an IAM user as its ARN, root as the account root, an AWS service as the
 * service that invoked the call. Session names and access keys rotate and are never the key.
 *
 * @param key the stable identity (a role or user ARN, {@code arn:aws:iam::<acct>:root}, or a
 *            service host such as {@code rds.amazonaws.com}); null when the event names no caller
 * @param type the CloudTrail {@code userIdentity.type}
 * @param sessionArn the full caller ARN as recorded (an assumed-role session ARN, for example)
 */
public record Principal(String key, String type, String sessionArn) {
    public static final Principal UNKNOWN = new Principal(null, null, null);

    /**
     * The key of a principal named by its ARN, as events are keyed: an assumed-role session ARN
     * ({@code arn:aws:sts::1:assumed-role/Role/session}) is its role ({@code arn:aws:iam::1:role/Role}), any other
     * ARN itself. For principals given in settings, so that they compare with the keys of the events.
     */
    public static String keyOf(String arn) {
        return EventParser.roleOfSession(arn);
    }
}
