package io.secrettrail.web;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Failed logins per client address: after {@link #FREE} failures each further one doubles the wait
 * before the next try (1 s, 2 s, 4 s... at most {@link #MAX_DELAY}). A client inside its wait is
 * refused (429 with {@code Retry-After}) without its token being checked, so guessing gains
 * nothing; no thread sleeps. A success, or {@link #FORGET} without a failure, clears the address.
 * At most {@link #MAX_ADDRESSES} addresses are kept, least recently failed out first.
 * The address is the connection's peer: behind a proxy every client shares the proxy's.
 */
final class LoginThrottle {
    static final int FREE = 5;
    static final Duration MAX_DELAY = Duration.ofMinutes(15);
    static final Duration FORGET = Duration.ofHours(1);
    static final int MAX_ADDRESSES = 10_000;

    private record Failures(int count, Instant last, Instant until) {}

    private final Clock clock;
    private final int maxAddresses;
    private final Map<String, Failures> byAddress;

    LoginThrottle(Clock clock) {
        this(clock, MAX_ADDRESSES);
    }

    LoginThrottle(Clock clock, int maxAddresses) {
        this.clock = clock;
        this.maxAddresses = maxAddresses;
        this.byAddress = new LinkedHashMap<>(64, 0.75f, true);
    }

    /** How long the address must still wait before its next try; zero when it may try now. */
    synchronized Duration wait(String address) {
        Failures f = current(address);
        if (f == null || f.until() == null) {
            return Duration.ZERO;
        }
        Duration left = Duration.between(clock.instant(), f.until());
        return left.isNegative() ? Duration.ZERO : left;
    }

    synchronized void failed(String address) {
        Instant now = clock.instant();
        Failures f = current(address);
        int n = f == null ? 1 : f.count() + 1;
        Instant until = null;
        if (n > FREE) {
            int doublings = Math.min(n - FREE - 1, 30);
            Duration d = Duration.ofSeconds(1L << doublings);
            until = now.plus(d.compareTo(MAX_DELAY) > 0 ? MAX_DELAY : d);
        }
        byAddress.remove(address);
        byAddress.put(address, new Failures(n, now, until));
        while (byAddress.size() > maxAddresses) {
            byAddress.remove(byAddress.keySet().iterator().next());
        }
    }

    synchronized void succeeded(String address) {
        byAddress.remove(address);
    }

    /** Addresses with failures on record (for tests: the map stays bounded). */
    synchronized int size() {
        return byAddress.size();
    }

    private Failures current(String address) {
        Failures f = byAddress.get(address);
        if (f != null
                && f.last().plus(FORGET).isBefore(clock.instant())
                && (f.until() == null || f.until().isBefore(clock.instant()))) {
            byAddress.remove(address);
            return null;
        }
        return f;
    }
}
