package io.secrettrail.analytics.dashboard;

import java.util.List;

/** One page of a list: its items, which page of what size, and how many items there are in all. */
public record Page<T>(List<T> items, int page, int pageSize, int total) {
    /** Page {@code page} (from 1) of {@code pageSize} (1..1000) items of {@code all}. */
    static <T> Page<T> of(List<T> all, int page, int pageSize) {
        if (page < 1) {
            throw new IllegalArgumentException("page: must be 1 or more, was " + page);
        }
        if (pageSize < 1 || pageSize > 1000) {
            throw new IllegalArgumentException("pageSize: must be 1..1000, was " + pageSize);
        }
        int from = (int) Math.min((long) (page - 1) * pageSize, all.size());
        return new Page<>(
                List.copyOf(all.subList(from, Math.min(from + pageSize, all.size()))), page, pageSize, all.size());
    }
}
