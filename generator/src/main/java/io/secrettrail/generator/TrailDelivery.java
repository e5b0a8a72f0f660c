package io.secrettrail.generator;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Decides in which 5-minute delivery each record lands, the way CloudTrail delivers: mostly on
 * time, ~3% late by 1-12 buckets, ~2% of Secrets Manager records delivered a second time in
 * another file, and in no particular order within a file. A file gathers the deliveries of one
 * period of {@code bucketsPerFile} buckets (one: CloudTrail's file per 5 minutes), written once its
 * last bucket is done.
 */
final class TrailDelivery {
    /** Longer than the latest delivery, in periods: 12 buckets late plus 6 more for a redelivered copy. */
    private static final int RING = 32;

    private final TrailFileWriter writer;
    private final SplittableRandom rng;
    private final long lastBucket;
    private final int bucketsPerFile;
    private final List<List<List<TrailRecord>>> ring = new ArrayList<>();
    private int files;
    private long records;
    private long duplicates;

    TrailDelivery(TrailFileWriter writer, SplittableRandom rng, long lastBucket, int bucketsPerFile) {
        this.writer = writer;
        this.rng = rng;
        this.lastBucket = lastBucket;
        this.bucketsPerFile = bucketsPerFile;
        for (int i = 0; i < RING; i++) {
            List<List<TrailRecord>> slot = new ArrayList<>();
            for (int accountRegion = 0; accountRegion < Topology.ACCOUNT_REGION_COUNT; accountRegion++) {
                slot.add(new ArrayList<>());
            }
            ring.add(slot);
        }
    }

    void accept(TrailRecord r, long bucket) {
        long delivery = bucket;
        if (rng.nextDouble() < 0.03) {
            delivery = Math.min(lastBucket, bucket + 1 + rng.nextInt(12));
        }
        slot(delivery, r.accountRegion()).add(r);
        if (r.secretsManager() && delivery < lastBucket && rng.nextDouble() < 0.02) {
            long again = Math.min(lastBucket, delivery + 1 + rng.nextInt(6));
            slot(again, r.accountRegion()).add(r);
            duplicates++;
        }
    }

    private List<TrailRecord> slot(long bucket, int accountRegion) {
        long period = Math.floorDiv(bucket, (long) bucketsPerFile);
        return ring.get((int) Math.floorMod(period, (long) RING)).get(accountRegion);
    }

    /** Writes every file due in this bucket (the last of its period, or of the window); returns how many. */
    int flush(long bucket) throws IOException {
        int written = 0;
        if (Math.floorMod(bucket + 1, (long) bucketsPerFile) != 0 && bucket != lastBucket) {
            return written;
        }
        for (int accountRegion = 0; accountRegion < Topology.ACCOUNT_REGION_COUNT; accountRegion++) {
            List<TrailRecord> due = slot(bucket, accountRegion);
            if (due.isEmpty()) {
                continue;
            }
            shuffle(due);
            var path = writer.pathFor(accountRegion, bucket * TimeWindow.BUCKET, RandomText.alnum(rng, 16));
            writer.write(path, due);
            records += due.size();
            written++;
            due.clear();
        }
        files += written;
        return written;
    }

    private void shuffle(List<TrailRecord> list) {
        for (int i = list.size() - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            TrailRecord t = list.get(i);
            list.set(i, list.get(j));
            list.set(j, t);
        }
    }

    void close() {
        writer.close();
    }

    int files() {
        return files;
    }

    long records() {
        return records;
    }

    long duplicates() {
        return duplicates;
    }
}
