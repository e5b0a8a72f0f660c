package io.secrettrail.analytics.dashboard;

/** Calls of one event name in one bucket of a chart (a day, or an hour). */
public record DayCount(String day, String eventName, long calls) {}
