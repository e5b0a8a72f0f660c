package io.secrettrail.generator;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Writes one delivered CloudTrail object: a gzip of {"Records":[...]}, streamed record by record. */
final class TrailFileWriter {
    private final Path trailDir;
    private final JsonFactory json;
    private final RecordText text = new RecordText();
    private final Set<Path> madeDirs = new HashSet<>();
    private final GzipSink gzip = new GzipSink();

    TrailFileWriter(Path trailDir, JsonFactory json) {
        this.trailDir = trailDir;
        this.json = json;
    }

    /** The S3 key CloudTrail would use for this account/region and delivery bucket. */
    Path pathFor(int accountRegion, long bucketStart, String random) {
        String account = Topology.accountId(accountRegion);
        String region = Topology.region(accountRegion);
        String day = TimeText.instant(bucketStart).substring(0, 10); // 2026-11-20
        Path dir = trailDir.resolve("AWSLogs")
                .resolve(account)
                .resolve("CloudTrail")
                .resolve(region)
                .resolve(day.substring(0, 4))
                .resolve(day.substring(5, 7))
                .resolve(day.substring(8, 10));
        return dir.resolve(
                account + "_CloudTrail_" + region + "_" + TimeText.fileStamp(bucketStart) + "_" + random + ".json.gz");
    }

    void write(Path file, List<TrailRecord> records) throws IOException {
        Path dir = file.getParent();
        if (madeDirs.add(dir)) {
            Files.createDirectories(dir);
        }
        try (JsonGenerator g = json.createGenerator(gzip.open(file), JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeArrayFieldStart("Records");
            for (TrailRecord r : records) {
                r.write(g, text);
            }
            g.writeEndArray();
            g.writeEndObject();
        }
    }

    void close() {
        gzip.release();
    }
}
