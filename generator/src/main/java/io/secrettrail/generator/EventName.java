package io.secrettrail.generator;

/** The Secrets Manager event names the generator emits, with the flags the truth rules need. */
enum EventName {
    CreateSecret(false, true, false, false),
    DeleteSecret(false, true, false, false),
    DescribeSecret(true, false, false, false),
    GetSecretValue(true, false, true, false),
    BatchGetSecretValue(true, false, true, false),
    PutSecretValue(false, true, false, false),
    UpdateSecret(false, true, false, false),
    TagResource(false, true, false, false),
    GetResourcePolicy(true, false, false, false),
    ListSecretVersionIds(true, false, false, false),
    RotateSecret(false, true, false, false),
    ListSecrets(true, false, false, false),
    GetRandomPassword(true, false, false, false),
    PutResourcePolicy(false, true, false, false),
    RotationStarted(false, false, false, true),
    RotationSucceeded(false, true, false, true),
    RotationFailed(false, false, false, true);

    /** CloudTrail's readOnly flag. */
    final boolean readOnly;
    /** Counts toward lastChanged when it succeeds. */
    final boolean countsAsChange;
    /** Counts toward lastAccessed when it succeeds. */
    final boolean countsAsAccess;
    /** An AwsServiceEvent rather than an AwsApiCall. */
    final boolean serviceEvent;

    EventName(boolean readOnly, boolean countsAsChange, boolean countsAsAccess, boolean serviceEvent) {
        this.readOnly = readOnly;
        this.countsAsChange = countsAsChange;
        this.countsAsAccess = countsAsAccess;
        this.serviceEvent = serviceEvent;
    }
}
