package io.secrettrail.web;

import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;

/**
 * A webhook as the dashboard and {@code /api/v1/webhooks} show it: the URL masked, its settings, its
 * recent deliveries and their counts by status. Field order is the JSON's.
 */
record WebhookView(
        String name,
        String format,
        String url,
        String minSeverity,
        SortedSet<String> rules,
        boolean notifyClear,
        int perMinute,
        SortedMap<String, Long> recentByStatus,
        List<Map<String, Object>> deliveries) {}
