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
    final int accountRegion;
    final String accountId;
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
    /** Never named by random traffic: an inventory secret nobody reads. */
    boolean dormant;
    /** Inventory dates from before the window; the trail's own events come on top of them. */
    long lastRotatedBeforeWindow = SecretTally.NONE;

    long lastChangedBeforeWindow = SecretTally.NONE;
    long lastAccessedBeforeWindow = SecretTally.NONE;
    String description;
    String team;
    String costCenter;
    String versionId;
    /** Since when versionId has been current: the latest successful PutSecretValue. */
    long versionIdSince = SecretTally.NONE;
    /** {@link Principal#index}es of the principals that normally read it. */
    int[] usualReaders = new int[0];
    /** Inventory epoch dates alternate between "1763600000" and "1763600000.0", as raw JSON may. */
    boolean fractionalEpoch;

    SyntheticSecret(Kind kind, String name, String suffix, int accountRegion) {
        this.kind = kind;
        this.name = name;
        this.accountRegion = accountRegion;
        this.accountId = Topology.accountId(accountRegion);
        this.region = Topology.region(accountRegion);
        this.partialArn = "arn:aws:secretsmanager:" + region + ":" + accountId + ":secret:" + name;
        this.fullArn = suffix == null ? null : partialArn + "-" + suffix;
        this.primaryRegion = null;
    }

    String suffix() {
        return fullArn == null ? null : fullArn.substring(fullArn.length() - 6);
    }

    /** The truth's key: the canonical full ARN, else the partial ARN of an unresolved secret. */
    String reportArn() {
        return fullArn != null ? fullArn : partialArn;
    }

    boolean inInventory() {
        return kind == Kind.INVENTORY || kind == Kind.REPLICA;
    }

    /** Whether random traffic may name it at this second. */
    boolean activeAt(long t) {
        return (createdAt == SecretTally.NONE || createdAt < t) && (deletedAt == SecretTally.NONE || t < deletedAt);
    }
}
