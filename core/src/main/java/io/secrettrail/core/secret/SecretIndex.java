package io.secrettrail.core.secret;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Full ARNs by (account, region, name): from the inventory first, then learned from events that
 * carry a full ARN (CreateSecret's response, service events). Bounded by the number of secrets, not
 * events. Safe for concurrent readers and writers.
 */
public final class SecretIndex {
    private final Map<String, String> inventory = new ConcurrentHashMap<>();
    private final Map<String, String> learned = new ConcurrentHashMap<>();
    private final Map<String, Boolean> inventoryArns = new ConcurrentHashMap<>();

    public void addInventory(String fullArn) {
        SecretArn a = SecretArn.parse(fullArn)
                .orElseThrow(() -> new IllegalArgumentException("not a secret ARN: " + fullArn));
        inventory.put(key(a.account(), a.region(), SecretArn.nameOfFull(fullArn)), fullArn);
        inventoryArns.put(fullArn, Boolean.TRUE);
    }

    public void learn(String fullArn) {
        SecretArn.parse(fullArn).ifPresent(a -> {
            if (a.hasSuffixShape()) {
                learned.putIfAbsent(key(a.account(), a.region(), SecretArn.nameOfFull(fullArn)), fullArn);
            }
        });
    }

    public boolean inInventory(String arn) {
        return inventoryArns.containsKey(arn);
    }

    public Optional<String> byName(String account, String region, String name) {
        String k = key(account, region, name);
        String hit = inventory.get(k);
        return Optional.ofNullable(hit != null ? hit : learned.get(k));
    }

    public int size() {
        return inventoryArns.size();
    }

    private static String key(String account, String region, String name) {
        return account + '\u0000' + region + '\u0000' + name;
    }
}
