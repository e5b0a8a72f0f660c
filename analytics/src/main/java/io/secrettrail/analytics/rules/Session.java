package io.secrettrail.analytics.rules;

/**
 * One session seen in a detection's evidence, from the events' own record: the session name (the last part
 * of the assumed-role ARN), {@code userIdentity.sessionContext.sourceIdentity}, {@code userIdentity.accessKeyId}
 * and {@code vpcEndpointId}; each may be null.
 */
public record Session(String sessionName, String sourceIdentity, String accessKeyId, String vpcEndpointId) {}
