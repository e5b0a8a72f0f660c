package io.secrettrail.generator;

import java.util.List;

/**
 * The fixed accounts and regions of the synthetic organisation. An account-region index names one
 * (account, region) pair, which is also one trail prefix and one inventory file.
 */
final class Topology {
    static final List<String> ACCOUNTS = List.of("111111111111", "222222222222");
    static final List<String> REGIONS = List.of("us-east-1", "eu-west-1");
    static final int ACCOUNT_REGION_COUNT = ACCOUNTS.size() * REGIONS.size();
    /** The account whose inventory dates are raw API epoch numbers; the other one uses CLI ISO strings. */
    static final int EPOCH_DATES_ACCOUNT = 0;

    private Topology() {}

    /** The account-region index of an account index and a region index. */
    static int accountRegion(int accountIndex, int regionIndex) {
        return accountIndex * REGIONS.size() + regionIndex;
    }

    static int accountIndexOf(int accountRegion) {
        return accountRegion / REGIONS.size();
    }

    static int regionIndexOf(int accountRegion) {
        return accountRegion % REGIONS.size();
    }

    /** The 12-digit account id. */
    static String accountId(int accountRegion) {
        return ACCOUNTS.get(accountIndexOf(accountRegion));
    }

    /** The region name, e.g. us-east-1. */
    static String region(int accountRegion) {
        return REGIONS.get(regionIndexOf(accountRegion));
    }

    static int otherRegionIndex(int regionIndex) {
        return 1 - regionIndex;
    }
}
