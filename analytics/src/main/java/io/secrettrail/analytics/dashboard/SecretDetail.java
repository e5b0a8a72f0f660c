package io.secrettrail.analytics.dashboard;

import java.util.List;
import java.util.Map;

/** One secret in full: its row, calls over time, who reads it, rotations, its inventory entry, alerts and the least privilege it needs. */
public record SecretDetail(
        SecretRow secret,
        List<DayCount> callsOverTime,
        String granularity,
        List<Access> principals,
        List<DayCount> rotationHistory,
        Map<String, Object> inventory,
        List<Map<String, Object>> alerts,
        Map<String, List<String>> rolesThatNeedIt) {}
