package io.secrettrail.core.secret;

import io.secrettrail.core.event.CloudTrailEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns the ways an event names a secret (a name, a partial ARN, a full ARN) into its canonical
 * full ARN. Order: the inventory by exact ARN, the index by (account, region, name), then the ARN's
 * own shape. What cannot be resolved keeps the partial ARN as a stable key, marked unresolved.
 */
public final class SecretResolver {
    private final SecretIndex index;

    public SecretResolver(SecretIndex index) {
        this.index = index;
    }

    /** The secrets the event names (one, several for BatchGetSecretValue by id list, or none). */
    public List<SecretRef> resolve(CloudTrailEvent event) {
        List<CloudTrailEvent.SecretId> ids = event.secretIds();
        if (ids.isEmpty()) {
            return List.of();
        }
        // Only what AWS itself wrote is authoritative; a caller's secretId may be a partial ARN
        // whose name merely looks like it has a suffix.
        for (CloudTrailEvent.SecretId id : ids) {
            if (!id.field().startsWith("requestParameters.")) {
                index.learn(id.value());
            }
        }
        if (!"requestParameters.secretIdList".equals(ids.get(0).field())) {
            return List.of(resolve(ids.get(0).value(), event.accountId(), event.awsRegion()));
        }
        List<SecretRef> refs = new ArrayList<>(ids.size());
        for (CloudTrailEvent.SecretId id : ids) {
            SecretRef r = resolve(id.value(), event.accountId(), event.awsRegion());
            if (refs.stream().noneMatch(x -> x.key().equals(r.key()))) {
                refs.add(r);
            }
        }
        return refs;
    }

    /** Resolves one reference; {@code account} and {@code region} place a plain name. */
    public SecretRef resolve(String id, String account, String region) {
        Optional<SecretArn> arn = SecretArn.parse(id);
        if (arn.isPresent()) {
            SecretArn a = arn.get();
            if (index.inInventory(id)) {
                return new SecretRef(id, true, a.account(), a.region(), SecretArn.nameOfFull(id));
            }
            Optional<String> byName = index.byName(a.account(), a.region(), a.resource());
            if (byName.isPresent()) {
                return new SecretRef(byName.get(), true, a.account(), a.region(), a.resource());
            }
            if (a.hasSuffixShape()) {
                return new SecretRef(id, true, a.account(), a.region(), SecretArn.nameOfFull(id));
            }
            return new SecretRef(a.text(), false, a.account(), a.region(), a.resource());
        }
        String acct = account == null ? "unknown" : account;
        String reg = region == null ? "unknown" : region;
        Optional<String> byName = index.byName(acct, reg, id);
        if (byName.isPresent()) {
            return new SecretRef(byName.get(), true, acct, reg, id);
        }
        return new SecretRef(SecretArn.partial(reg, acct, id), false, acct, reg, id);
    }
}
