package io.secrettrail.generator;

import java.util.List;

/**
 * The fixed accounts and regions of the synthetic organisation. An "ar" index names one
 * (account, region) pair, which is also one trail prefix and one inventory file.
 */
final class Topology {
    static final List<String> ACCOUNTS = List.of("111111111111", "222222222222");
    static final List<String> REGIONS = List.of("us-east-1", "eu-west-1");
    static final int AR_COUNT = ACCOUNTS.size() * REGIONS.size();
    /** The account whose inventory dates are raw API epoch numbers; the other one uses CLI ISO strings. */
    static final int EPOCH_DATES_ACCOUNT = 0;

    private Topology() {
    }

    static int ar(int account, int region) {
        return account * REGIONS.size() + region;
    }

    static int accountOf(int ar) {
        return ar / REGIONS.size();
    }

    static int regionOf(int ar) {
        return ar % REGIONS.size();
    }

    static String account(int ar) {
        return ACCOUNTS.get(accountOf(ar));
    }

    static String region(int ar) {
        return REGIONS.get(regionOf(ar));
    }

    static int otherRegion(int region) {
        return 1 - region;
    }
}
