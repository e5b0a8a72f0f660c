-- An exported table that has no partitions, as one Parquet file. As copy.sql: %1$s the table (one of
-- ParquetExporter's names), %2$s the target file (checked by ExportDir and quoted).
COPY %1$s TO %2$s (FORMAT parquet, COMPRESSION zstd)
