package io.secrettrail.generator;

/**
 * One secret of the model, with its inventory attributes (known before the window) and the tally
 * its events build up. Times are epoch seconds, {@link SecretTally#NONE} when absent.
 */
final class SyntheticSecret {
    enum Kind {
        /** Listed in its region's inventory. */
        INVENTORY,
        /** Listed too; the copy of a primary in the other region. */
        REPLICA,
        /** Created and deleted inside the window; known only from those events. */
        TEMPORARY,
        /** Named only by plain name or partial ARN: nobody can learn its suffix. */
        UNRESOLVED,
        /** Deleted long ago; named only by its full ARN. */
        VANISHED
    }

    final Kind kind;
    final String name;
    final int ar;
    final String account;
    final String region;
    final String partialArn;
    /** Null for UNRESOLVED secrets. */
    final String fullArn;
    final SecretTally tally = new SecretTally();

    String primaryRegion;
    SyntheticSecret replica;
    long createdAt = SecretTally.NONE;
    long deletedAt = SecretTally.NONE;
    boolean createdInWindow;
    boolean rotationEnabled;
    boolean dormant;
    long preRotated = SecretTally.NONE;
    long preChanged = SecretTally.NONE;
    long preAccessed = SecretTally.NONE;
    String description;
    String team;
    String costCenter;
    String versionId;
    /** When versionId was last replaced by a PutSecretValue. */
    long versionTime = SecretTally.NONE;
    /** Indexes of the principals that normally read it. */
    int[] consumers = new int[0];
    /** Inventory epoch dates alternate between "1763600000" and "1763600000.0", as raw JSON may. */
    boolean fractionalEpoch;

    SyntheticSecret(Kind kind, String name, String suffix, int ar) {
        this.kind = kind;
        this.name = name;
        this.ar = ar;
        this.account = Topology.account(ar);
        this.region = Topology.region(ar);
        this.partialArn = "arn:aws:secretsmanager:" + region + ":" + account + ":secret:" + name;
        this.fullArn = suffix == null ? null : partialArn + "-" + suffix;
        this.primaryRegion = null;
    }

    String suffix() {
        return fullArn == null ? null : fullArn.substring(fullArn.length() - 6);
    }

    /** The truth's key: the canonical full ARN, else the partial ARN of an unresolved secret. */
    String key() {
        return fullArn != null ? fullArn : partialArn;
    }

    boolean inInventory() {
        return kind == Kind.INVENTORY || kind == Kind.REPLICA;
    }

    /** Whether random traffic may name it at this second. */
    boolean activeAt(long t) {
        return (createdAt == SecretTally.NONE || createdAt < t)
                && (deletedAt == SecretTally.NONE || t < deletedAt);
    }
}
