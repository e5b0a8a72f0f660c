package io.secrettrail.analytics.dashboard;

/** Calls of one key (a secret's ARN, a principal). */
public record Count(String key, long calls) {}
