package io.secrettrail.analytics.store;

import io.secrettrail.core.Setting;
import java.util.Map;

/**
 * Bounds that keep storage and memory proportional to the real secrets and clients, whatever a
 * monitored identity sends.
 *
 * @param unconfirmedNames {@code names.maxUnconfirmed}: distinct names never confirmed to exist
 *     (not in the inventory, no successful event) tracked one by one per account and region; the
 *     rest are counted together as unknown names
 * @param topClients {@code ledger.topClients}: (source IP, user agent) pairs kept per secret and
 *     principal, by calls; the rest are folded into one "others" row with their count
 * @param memoryMb {@code store.memoryMb}: DuckDB's memory_limit in MiB. Joins and aggregates past it spill to
 *     disk; it bounds the native memory beside the JVM's heap
 */
public record StoreLimits(int unconfirmedNames, int topClients, int memoryMb) {
    public static final int DEFAULT_UNCONFIRMED_NAMES = 1_000;
    public static final int DEFAULT_TOP_CLIENTS = 20;
    /** With event_ids' index gone (V014) nothing of the writer's must stay in DuckDB's memory. */
    public static final int DEFAULT_MEMORY_MB = 256;
    /** The settings {@link #of} reads. */
    public static final java.util.Set<String> KEYS =
            java.util.Set.of("names.maxUnconfirmed", "ledger.topClients", "store.memoryMb");

    public StoreLimits {
        if (unconfirmedNames < 0 || unconfirmedNames > 1_000_000) {
            throw new IllegalArgumentException("names.maxUnconfirmed: must be 0..1000000, was " + unconfirmedNames);
        }
        if (topClients < 1 || topClients > 10_000) {
            throw new IllegalArgumentException("ledger.topClients: must be 1..10000, was " + topClients);
        }
        if (memoryMb < 64 || memoryMb > 1_048_576) {
            throw new IllegalArgumentException("store.memoryMb: must be 64..1048576, was " + memoryMb);
        }
    }

    /** With the default memory limit. */
    public StoreLimits(int unconfirmedNames, int topClients) {
        this(unconfirmedNames, topClients, DEFAULT_MEMORY_MB);
    }

    public static StoreLimits defaults() {
        return new StoreLimits(DEFAULT_UNCONFIRMED_NAMES, DEFAULT_TOP_CLIENTS, DEFAULT_MEMORY_MB);
    }

    /** From settings (config file, then flags); fails naming the bad setting. */
    public static StoreLimits of(Map<String, String> settings) {
        return new StoreLimits(
                (int) Setting.whole(settings, "names.maxUnconfirmed", DEFAULT_UNCONFIRMED_NAMES, 0, 1_000_000),
                (int) Setting.whole(settings, "ledger.topClients", DEFAULT_TOP_CLIENTS, 1, 10_000),
                (int) Setting.whole(settings, "store.memoryMb", DEFAULT_MEMORY_MB, 64, 1_048_576));
    }
}
