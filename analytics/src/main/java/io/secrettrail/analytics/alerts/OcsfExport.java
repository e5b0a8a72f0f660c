package io.secrettrail.analytics.alerts;

import io.secrettrail.analytics.rules.Finding;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The current alarms of a report as OCSF Detection Findings, one JSON line each, written to a file whole:
 * what {@code export --ocsf FILE} writes. The finding ids are those the webhooks and {@code export.ocsf.file}
 * send ({@link Ocsf#findingUid}), so a file loaded after a live feed updates its findings, not doubles them.
 */
public final class OcsfExport {
    private OcsfExport() {}

    /**
     * Writes every alarm among {@code findings} as a Create finding at {@code now}, replacing {@code file}
     * (written beside it, then moved into place, so a reader never sees half of it).
     *
     * @return the findings written
     */
    public static int write(List<Finding> findings, Instant now, Path file) throws IOException {
        StringBuilder b = new StringBuilder();
        int n = 0;
        for (Finding f : findings) {
            if (!f.alarm()) {
                continue;
            }
            String id = f.incident() != null
                    ? f.incident().id()
                    : UUID.nameUUIDFromBytes((AlertLedger.key(f.rule(), f.resource(), String.valueOf(f.principal()))
                                            + "\u0000" + now)
                                    .getBytes(StandardCharsets.UTF_8))
                            .toString();
            b.append(Ocsf.lines(Payloads.of(id, "alarm", f, now)));
            n++;
        }
        Path target = file.toAbsolutePath();
        Path tmp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".tmp");
        try {
            Files.writeString(tmp, b, StandardCharsets.UTF_8);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return n;
    }
}
