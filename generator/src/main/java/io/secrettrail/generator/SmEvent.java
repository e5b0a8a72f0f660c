package io.secrettrail.generator;

/** The Secrets Manager event names the generator emits, with the flags the truth rules need. */
enum SmEvent {
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
    RotationStarted(false, false, false, true),
    RotationSucceeded(false, true, false, true),
    RotationFailed(false, false, false, true);

    final boolean readOnly;
    /** Counts toward lastChanged when it succeeds. */
    final boolean change;
    /** Counts toward lastAccessed when it succeeds. */
    final boolean access;
    /** An AwsServiceEvent rather than an AwsApiCall. */
    final boolean serviceEvent;

    SmEvent(boolean readOnly, boolean change, boolean access, boolean serviceEvent) {
        this.readOnly = readOnly;
        this.change = change;
        this.access = access;
        this.serviceEvent = serviceEvent;
    }
}
