package io.secrettrail.ingest.aws;

import io.secrettrail.core.event.FieldException;
import io.secrettrail.core.event.Rejection;
import io.secrettrail.core.secret.InventoryEntry;
import io.secrettrail.core.secret.InventoryReader;
import io.secrettrail.core.secret.SecretIndex;
import io.secrettrail.ingest.CheckpointLog;
import io.secrettrail.ingest.EventPublisher;
import io.secrettrail.ingest.PolicyChanges;
import io.secrettrail.ingest.Source;
import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.GetResourcePolicyRequest;
import software.amazon.awssdk.services.secretsmanager.model.GetResourcePolicyResponse;
import software.amazon.awssdk.services.secretsmanager.model.ListSecretsRequest;
import software.amazon.awssdk.services.secretsmanager.model.ListSecretsResponse;
import software.amazon.awssdk.services.secretsmanager.model.SecretListEntry;

/**
 * Secrets Manager's inventory in one account and region: ListSecrets with
 * {@code IncludePlannedDeletion} (secrets scheduled for deletion keep their DeletedDate), every
 * page, every interval. Publishes an entry only when it changed since the last complete listing
 * (the checkpoint holds each ARN with a hash of its entry), and a tombstone for a secret that is
 * gone from two complete listings in a row: a listing cut short by an error deletes nothing, and
 * one that missed a secret once (pages shifting under a concurrent change) neither. The first complete
 * listing also says, once, that the inventory covers its account and region.
 * ListSecrets never returns secret values; the reader drops them anyway.
 *
 * <p>Resource policies: after a complete listing, GetResourcePolicy for each listed secret (not scheduled for
 * deletion) that is new, whose LastChangedDate moved since its policy was last read, or whose policy a published
 * PutResourcePolicy/DeleteResourcePolicy changed ({@link PolicyChanges}); never every secret on every pass. The
 * checkpoint keeps, per ARN, the LastChangedDate its policy was read at, so a restart reads nothing again.
 */
public final class InventorySource implements Source {
    private static final Logger log = LoggerFactory.getLogger(InventorySource.class);
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = io.secrettrail.core.Json.mapper();

    private final SecretsManagerClient client;
    private final String account;
    private final String region;
    private final Duration interval;
    private final CheckpointLog checkpoint;
    private final EventPublisher publisher;
    private final SecretIndex index;
    private final InventoryReader reader = new InventoryReader();
    private final Map<String, String> known = new LinkedHashMap<>();
    private final AtomicLong tombstones = new AtomicLong();
    /** The checkpoint line saying this source's coverage was announced (it has no tab: never an ARN line). */
    private static final String COVERED = "#covered";
    /** Whether a complete listing has announced that the inventory covers this account and region. */
    private boolean covered;
    /** ARNs missing from the last complete listing (but not the one before). */
    private final java.util.Set<String> missingOnce = new java.util.HashSet<>();
    /** Per ARN, the LastChangedDate (see {@link #stamp}) its resource policy was last read at. */
    private final Map<String, String> policyRead = new java.util.HashMap<>();
    /** Per ARN, the LastChangedDate the secret was last described at (DescribeSecret). */
    private final Map<String, String> described = new java.util.HashMap<>();
    /** Per ARN, DescribeSecret's ReplicationStatus (a JSON array, empty when none), added to its published entry. */
    private final Map<String, String> replication = new java.util.HashMap<>();

    private final boolean readReplication;

    private final boolean readPolicies;
    private final PolicyChanges policyChanges;
    private final java.time.Clock clock;

    /**
     * @param readPolicies whether to read resource policies (see the class comment)
     * @param policyChanges the secrets whose policy a published event changed
     * @param clock when a policy was read
     */
    public InventorySource(
            SecretsManagerClient client,
            String account,
            String region,
            Duration interval,
            Path checkpointFile,
            EventPublisher publisher,
            SecretIndex index,
            boolean readPolicies,
            boolean readReplication,
            PolicyChanges policyChanges,
            java.time.Clock clock)
            throws IOException {
        this.client = client;
        this.account = account;
        this.region = region;
        this.interval = interval;
        this.checkpoint = new CheckpointLog(checkpointFile);
        this.publisher = publisher;
        this.index = index;
        this.readPolicies = readPolicies;
        this.readReplication = readReplication;
        this.policyChanges = policyChanges;
        this.clock = clock;
        for (String line : checkpoint.lines()) {
            covered |= line.equals(COVERED);
            // ARN, hash of its entry, and (since issue 17) the LastChangedDate its policy was read at, the one it was
            // described at and its ReplicationStatus; an empty field: not yet.
            String[] f = line.split("\t", -1);
            if (f.length >= 2 && !f[0].isEmpty()) {
                known.put(f[0], f[1]);
                index.addInventory(f[0]);
                putIfSet(policyRead, f, 2);
                putIfSet(described, f, 3);
                putIfSet(replication, f, 4);
            }
        }
    }

    @Override
    public String name() {
        return "secretsmanager-inventory:" + account + "/" + region;
    }

    @Override
    public String kind() {
        return "inventory";
    }

    @Override
    public Duration interval() {
        return interval;
    }

    public long tombstones() {
        return tombstones.get();
    }

    @Override
    public long poll(BooleanSupplier stopping) throws IOException {
        Map<String, String> now = new LinkedHashMap<>();
        List<InventoryEntry> policiesDue = new ArrayList<>();
        // A refused DescribeSecret stops the describing, not the listing: the pass fails once it is checkpointed.
        RuntimeException describeError = null;
        long entries = 0;
        int changed = 0;
        String token = null;
        int page = 0;
        do {
            if (stopping.getAsBoolean()) {
                return entries; // an incomplete listing publishes no tombstone and moves no checkpoint
            }
            ListSecretsResponse r = client.listSecrets(ListSecretsRequest.builder()
                    .includePlannedDeletion(true)
                    .maxResults(100)
                    .nextToken(token)
                    .build());
            page++;
            long i = 0;
            for (SecretListEntry e : r.secretList()) {
                i++;
                entries++;
                String source = name() + "#page" + page;
                byte[] raw;
                InventoryEntry entry;
                boolean replicationChanged = false;
                try {
                    com.fasterxml.jackson.databind.node.ObjectNode json = SdkJson.of(e);
                    entry = reader.parse(json);
                    raw = entry.raw(); // hashed as listed: the replication status is compared apart
                    if (readReplication && describeError == null && describeDue(entry)) {
                        try {
                            String status = describe(entry);
                            if (status != null) {
                                replicationChanged = !status.equals(replication.put(entry.arn(), status));
                                described.put(entry.arn(), stamp(entry));
                            }
                        } catch (software.amazon.awssdk.core.exception.SdkException x) {
                            describeError = x;
                        }
                    }
                    String status = replication.get(entry.arn());
                    if (status != null) {
                        json.set("ReplicationStatus", JSON.readTree(status));
                        entry = reader.parse(json);
                    }
                } catch (FieldException x) {
                    Rejection rej = new Rejection(source, i, x.field(), x.getMessage(), new byte[0]);
                    log.warn("rejected {}", rej.message());
                    publisher.deadLetter(rej);
                    if (e.arn() != null && known.containsKey(e.arn())) {
                        now.put(e.arn(), known.get(e.arn())); // listed, though unreadable now: not deleted
                    }
                    continue;
                }
                String hash = sha256(raw);
                now.put(entry.arn(), hash);
                index.addInventory(entry.arn());
                if (!hash.equals(known.get(entry.arn())) || replicationChanged) {
                    publisher.inventory(entry, name());
                    changed++;
                }
                if (readPolicies && policyDue(entry)) {
                    policiesDue.add(entry);
                }
            }
            token = r.nextToken();
        } while (token != null && !token.isEmpty());
        List<String> gone = new ArrayList<>();
        for (String arn : known.keySet()) {
            if (!now.containsKey(arn)) {
                if (missingOnce.remove(arn)) {
                    gone.add(arn);
                    publisher.inventoryTombstone(arn, name());
                } else {
                    // Absent from one listing: could be a listing that shifted under us. Deleted once absent twice in a
                    // row.
                    missingOnce.add(arn);
                    now.put(arn, known.get(arn));
                }
            }
        }
        missingOnce.retainAll(now.keySet());
        // A complete listing: its account and region are covered, even when it lists no secret. Announced once (the
        // topic is compacted by key and keeps it), remembered in the checkpoint across restarts.
        if (!covered) {
            publisher.inventoryCoverage(account, region, name());
        }
        publisher.flush();
        RuntimeException policyError = null;
        List<InventoryEntry> policiesRead = new ArrayList<>();
        try {
            readPolicies(policiesDue, policiesRead, stopping);
        } catch (RuntimeException x) {
            // What was read so far is checkpointed below; the pass then fails, and the next one reads the rest.
            policyError = x;
        }
        try {
            publisher.flush();
        } catch (RuntimeException x) {
            policiesRead.clear(); // not acknowledged: read them again
            policyError = policyError != null ? policyError : x;
        }
        for (InventoryEntry e : policiesRead) {
            policyRead.put(e.arn(), stamp(e));
        }
        policyRead.keySet().retainAll(now.keySet());
        described.keySet().retainAll(now.keySet());
        replication.keySet().retainAll(now.keySet());
        List<String> lines = new ArrayList<>(now.size() + 1);
        lines.add(COVERED);
        now.forEach((arn, hash) -> lines.add(String.join(
                "\t",
                arn,
                hash,
                policyRead.getOrDefault(arn, ""),
                described.getOrDefault(arn, ""),
                replication.getOrDefault(arn, ""))));
        checkpoint.rewrite(lines);
        policyChanges.clear(policiesRead);
        covered = true;
        known.clear();
        known.putAll(now);
        tombstones.addAndGet(gone.size());
        if (changed > 0 || !gone.isEmpty()) {
            log.info(
                    "{}: {} secrets listed, {} new or changed, {} gone (tombstoned)",
                    name(),
                    now.size(),
                    changed,
                    gone.size());
        }
        if (!policiesRead.isEmpty()) {
            log.info("{}: {} resource policies read", name(), policiesRead.size());
        }
        if (describeError != null) {
            throw describeError;
        }
        if (policyError != null) {
            throw policyError;
        }
        return entries;
    }

    private static void putIfSet(Map<String, String> map, String[] fields, int i) {
        if (fields.length > i && !fields[i].isEmpty()) {
            map.put(fields[0], fields[i]);
        }
    }

    /**
     * A primary (not a replica; ListSecrets does not show its replicas) that is new or whose LastChangedDate moved
     * since it was described; never one scheduled for deletion.
     */
    private boolean describeDue(InventoryEntry e) {
        boolean replica = e.primaryRegion() != null && !e.primaryRegion().equals(region);
        return !replica && e.deletedDate() == null && !stamp(e).equals(described.get(e.arn()));
    }

    /** DescribeSecret's ReplicationStatus as a JSON array ({@code []} when none); null when the secret is gone. */
    private String describe(InventoryEntry e) throws java.io.IOException {
        software.amazon.awssdk.services.secretsmanager.model.DescribeSecretResponse d;
        try {
            d = client.describeSecret(b -> b.secretId(e.arn()));
        } catch (software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException gone) {
            return null;
        }
        com.fasterxml.jackson.databind.node.ArrayNode out = JSON.createArrayNode();
        d.replicationStatus().forEach(r -> out.add(SdkJson.of(r)));
        return JSON.writeValueAsString(out);
    }

    /** New, changed since its policy was read, or named by a published policy change; never a deleted one. */
    private boolean policyDue(InventoryEntry e) {
        if (e.deletedDate() != null) {
            return false; // scheduled for deletion: Secrets Manager refuses calls on it
        }
        String read = policyRead.get(e.arn());
        return read == null || !read.equals(stamp(e)) || policyChanges.changed(e);
    }

    /** GetResourcePolicy for each secret due, in listing order, published as it is read. */
    private void readPolicies(List<InventoryEntry> due, List<InventoryEntry> read, BooleanSupplier stopping) {
        for (InventoryEntry e : due) {
            if (stopping.getAsBoolean()) {
                return;
            }
            GetResourcePolicyResponse r;
            try {
                r = client.getResourcePolicy(
                        GetResourcePolicyRequest.builder().secretId(e.arn()).build());
            } catch (software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException gone) {
                continue; // deleted since the listing: the next listings tell
            }
            publisher.resourcePolicy(
                    new io.secrettrail.core.secret.ResourcePolicy(
                            e.arn(),
                            r.name() != null ? r.name() : e.name(),
                            r.resourcePolicy(),
                            clock.instant(),
                            io.secrettrail.core.secret.ResourcePolicy.FETCHED),
                    name());
            read.add(e);
        }
    }

    /** What a policy was read at: the entry's LastChangedDate (AWS moves it on every change, its policy's too). */
    private static String stamp(InventoryEntry e) {
        return e.lastChangedDate() == null ? "-" : e.lastChangedDate().toString();
    }

    private static String sha256(byte[] raw) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(raw), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
