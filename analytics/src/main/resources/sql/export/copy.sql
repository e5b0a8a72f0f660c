-- One exported table to Parquet files, a directory per partition (hive style: day=2026-11-21/...). COPY takes
-- neither its table nor its target as a parameter: the table is one of ParquetExporter's own names and the
-- target a path ExportDir has checked (no quote, no control character) and quoted as a string literal.
-- Placeholders: %1$s the table, %2$s the target, %3$s the partition column.
COPY %1$s TO %2$s (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (%3$s), FILENAME_PATTERN 'part_{i}')
