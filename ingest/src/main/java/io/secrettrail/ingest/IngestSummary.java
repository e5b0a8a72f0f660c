package io.secrettrail.ingest;

import java.util.List;

/**
 * What an ingest run read.
 *
 * @param records every record in the files, all services, rejected ones included
 * @param secretsManagerRecords accepted Secrets Manager records, duplicates included
 * @param fileErrors files that stopped early, with why
 */
public record IngestSummary(
        int files,
        long records,
        long secretsManagerRecords,
        long rejected,
        int inventorySecrets,
        long inventoryRejected,
        List<String> fileErrors) {}
