package io.secrettrail.app;

import io.secrettrail.analytics.cost.BilledLines;
import io.secrettrail.analytics.cost.CurReader;
import io.secrettrail.analytics.store.EventStore;
import io.secrettrail.core.billing.BilledLine;
import io.secrettrail.ingest.aws.AwsClients;
import io.secrettrail.ingest.aws.CostExplorerClient;
import io.secrettrail.ingest.aws.CurDownload;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * AWS's billing data for one analyze run ({@code --cur}, {@code --cost-explorer}): S3 locations downloaded
 * first, Cost Explorer queried, then everything stored in the database ({@code billed_lines}) before the report
 * is built. A file that cannot be read is reported on stderr by name; the rest is still stored.
 *
 * @param cur directories, files or {@code s3://bucket/prefix} locations of Cost and Usage Report exports
 * @param costExplorerFrom the first month to ask Cost Explorer for (up to asOf), or null
 */
record BillingImport(List<String> cur, YearMonth costExplorerFrom) {
    static BillingImport none() {
        return new BillingImport(List.of(), null);
    }

    boolean any() {
        return !cur.isEmpty() || costExplorerFrom != null;
    }

    /**
     * What was fetched before the run: local export roots (downloads included) and Cost Explorer's lines.
     *
     * @param skipped the objects not downloaded and the Cost Explorer results not read, one message each (logged)
     */
    record Fetched(List<Path> roots, List<BilledLine> costExplorer, Path downloads, List<String> skipped)
            implements AutoCloseable {
        @Override
        public void close() throws IOException {
            if (downloads == null || !Files.exists(downloads)) {
                return;
            }
            try (Stream<Path> walk = Files.walk(downloads)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** Downloads the S3 exports into a directory of the work dir and asks Cost Explorer, before ingest starts. */
    Fetched fetch(AppConfig config, Instant asOf) throws IOException, InterruptedException {
        List<Path> roots = new ArrayList<>();
        boolean needsAws = costExplorerFrom != null || cur.stream().anyMatch(c -> c.startsWith("s3://"));
        try {
            return fetch(config, asOf, roots, needsAws);
        } catch (IOException | InterruptedException | RuntimeException e) {
            // what was downloaded before the failure is not left in the work dir
            new Fetched(List.of(), List.of(), downloadsOf(roots), List.of()).close();
            throw e;
        }
    }

    /** The download directory, the parent of the first root under the work dir's cur-* directory, if any. */
    private static Path downloadsOf(List<Path> roots) {
        for (Path r : roots) {
            Path parent = r.getParent();
            if (parent != null && parent.getFileName().toString().startsWith("cur-")) {
                return parent;
            }
        }
        return null;
    }

    private Fetched fetch(AppConfig config, Instant asOf, List<Path> roots, boolean needsAws)
            throws IOException, InterruptedException {
        Path downloads = null;
        List<BilledLine> ce = List.of();
        List<String> skipped = new ArrayList<>();
        try (AwsClients aws = needsAws ? AwsClients.create(config.ingest().aws()) : null) {
            for (String c : cur) {
                if (c.startsWith("s3://")) {
                    if (downloads == null) {
                        Files.createDirectories(config.workDir());
                        downloads = Files.createTempDirectory(config.workDir(), "cur-");
                    }
                    Path into = downloads.resolve(Integer.toString(roots.size()));
                    roots.add(into);
                    skipped.addAll(new CurDownload(
                                    aws.curS3(), config.ingest().aws().billing().maxObjectBytes())
                            .download(CurDownload.Location.parse(c), into)
                            .skipped());
                } else {
                    Path p = Path.of(c);
                    if (!Files.exists(p)) {
                        throw new java.nio.file.NoSuchFileException(c, null, "--cur: no such file or directory");
                    }
                    roots.add(p);
                }
            }
            if (costExplorerFrom != null) {
                List<String> regions = config.ingest().aws().regions();
                if (regions.isEmpty()) {
                    throw new IllegalArgumentException(
                            "--cost-explorer: aws.regions must list the regions to ask for (one query per region)");
                }
                LocalDate end = LocalDate.ofInstant(asOf, ZoneOffset.UTC).plusDays(1);
                LocalDate start = costExplorerFrom.atDay(1);
                if (!start.isBefore(end)) {
                    throw new IllegalArgumentException(
                            "--cost-explorer: " + costExplorerFrom + " is after asOf " + asOf);
                }
                CostExplorerClient.Usage usage =
                        CostExplorerClient.of(aws, config.clock()).usage(start, end, regions);
                ce = usage.lines();
                skipped.addAll(usage.skipped());
            }
        }
        return new Fetched(List.copyOf(roots), ce, downloads, List.copyOf(skipped));
    }

    /** Reads the exports and stores them with Cost Explorer's lines; returns the read errors (also printed). */
    static List<String> store(EventStore store, Fetched fetched, Instant readAt) throws IOException, SQLException {
        CurReader.Result read = read(store, fetched.roots());
        List<BilledLine> all = new ArrayList<>(read.lines());
        all.addAll(fetched.costExplorer());
        store.writeTransaction(w -> BilledLines.replace(w, all, readAt));
        for (String e : read.errors()) {
            System.err.println("secrettrail: --cur " + e);
        }
        for (String n : read.notices()) {
            System.err.println("secrettrail: --cur " + n);
        }
        System.err.printf(
                "secrettrail: billing data: %d export files, %d Cost Explorer lines, %d lines stored%n",
                read.filesRead(), fetched.costExplorer().size(), all.size());
        return read.errors();
    }

    /** The Secrets Manager and KMS lines of the exports under {@code roots}, and the files that could not be read. */
    static CurReader.Result read(EventStore store, List<Path> roots) throws IOException, SQLException {
        try (Connection reader = store.reader()) {
            return new CurReader().read(reader, roots);
        }
    }
}
