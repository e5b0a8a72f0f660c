package io.secrettrail.generator;

/** A Secrets Manager record as the truth sees it: which secrets it names, who called, did it fail. */
interface SecretsManagerRecord extends TrailRecord {
    EventName event();

    /** Distinct secrets the record names; empty for calls that name none. */
    SyntheticSecret[] namedSecrets();

    /** The caller of an AwsApiCall; null for service events. */
    Principal principal();

    /** Whether the record carries an errorCode. */
    boolean failed();

    @Override
    default boolean secretsManager() {
        return true;
    }
}
