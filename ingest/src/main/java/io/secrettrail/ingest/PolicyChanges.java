package io.secrettrail.ingest;

import io.secrettrail.core.event.CloudTrailEvent;
import io.secrettrail.core.secret.InventoryEntry;
import io.secrettrail.core.secret.SecretRef;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The secrets whose resource policy a published event changed (a successful {@code PutResourcePolicy} or
 * {@code DeleteResourcePolicy}) since the inventory source last read it with GetResourcePolicy. The publisher
 * marks them; the inventory source reads those again on its next pass and clears them. Marks are appended to a
 * checkpoint file as they come (policy changes are rare), so a restart between the event and the next pass keeps
 * them. Thread-safe.
 */
public final class PolicyChanges {
    private static final Logger log = LoggerFactory.getLogger(PolicyChanges.class);

    /** The calls that change a secret's resource policy (ValidateResourcePolicy only checks one). */
    public static final Set<String> CHANGES = Set.of("PutResourcePolicy", "DeleteResourcePolicy");

    /** Keeps no marks: for publishers without an inventory source. */
    public static final PolicyChanges NONE = new PolicyChanges(null, Set.of());

    private final CheckpointLog file;
    private final Set<String> marks;

    private PolicyChanges(CheckpointLog file, Set<String> marks) {
        this.file = file;
        this.marks = marks;
    }

    /** The marks kept in this file (created when missing). */
    public static PolicyChanges open(Path file) throws IOException {
        CheckpointLog log = new CheckpointLog(file);
        Set<String> marks = new HashSet<>(log.lines());
        return new PolicyChanges(log, marks);
    }

    /** Marks the secrets this event names when it changed their resource policy. */
    void published(CloudTrailEvent e, List<SecretRef> refs) {
        if (file == null || e.failed() || !CHANGES.contains(e.eventName()) || refs.isEmpty()) {
            return;
        }
        List<String> added = new ArrayList<>();
        synchronized (this) {
            for (SecretRef r : refs) {
                // A full ARN, or (a name or partial ARN) account, region and name: the inventory knows both.
                for (String k : List.of(r.key(), byName(r.account(), r.region(), r.name()))) {
                    if (marks.add(k)) {
                        added.add(k);
                    }
                }
            }
            try {
                file.append(added);
            } catch (IOException x) {
                // Kept in memory: only a restart before the next pass would lose the mark.
                log.warn("cannot record a resource policy change in {}: {}", file.file(), x.toString());
            }
        }
    }

    /** Whether a policy change to this secret was published since {@link #clear} last cleared it. */
    public synchronized boolean changed(InventoryEntry s) {
        return !marks.isEmpty()
                && (marks.contains(s.arn()) || marks.contains(byName(s.account(), s.region(), s.name())));
    }

    /** The policies of these secrets were read: their marks are done. */
    public void clear(Collection<InventoryEntry> secrets) throws IOException {
        if (file == null || secrets.isEmpty()) {
            return;
        }
        synchronized (this) {
            boolean removed = false;
            for (InventoryEntry s : secrets) {
                removed |= marks.remove(s.arn());
                removed |= marks.remove(byName(s.account(), s.region(), s.name()));
            }
            if (removed) {
                file.rewrite(new ArrayList<>(marks));
            }
        }
    }

    private static String byName(String account, String region, String name) {
        return account + "\t" + region + "\t" + name;
    }
}
