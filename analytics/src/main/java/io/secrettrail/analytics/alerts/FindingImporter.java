package io.secrettrail.analytics.alerts;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Where ASFF findings are imported: Security Hub's {@code BatchImportFindings}, called as the account the
 * findings belong to. The AWS client lives with the other AWS clients (ingest) and is wired in by the app.
 */
@FunctionalInterface
public interface FindingImporter {
    /**
     * Imports findings of one account, as that account, batched by the importer as the API allows.
     *
     * @return the findings Security Hub refused, by {@code Id}: its error code and message
     * @throws IOException when the findings could not be imported at all (throttled past the attempts, refused,
     *     unreachable): every one of them is to be tried again
     */
    Map<String, String> importFindings(String account, List<ObjectNode> findings)
            throws IOException, InterruptedException;

    /** Security Hub kept throttling past the importer's own attempts: the findings wait, however long, never dropped. */
    final class Throttled extends IOException {
        public Throttled(String message) {
            super(message);
        }
    }
}
