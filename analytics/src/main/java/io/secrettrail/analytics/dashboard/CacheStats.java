package io.secrettrail.analytics.dashboard;

/** The results cache's entries and estimated bytes, with its bounds (for /metrics and tests). */
public record CacheStats(int entries, long bytes, int maxEntries, long maxBytes) {}
