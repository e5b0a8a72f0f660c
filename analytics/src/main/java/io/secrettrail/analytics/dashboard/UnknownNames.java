package io.secrettrail.analytics.dashboard;

/** Calls to names never confirmed to exist, past the cap per account and region: not listed as secrets. */
public record UnknownNames(long calls, long names) {}
