-- The column names of one export file (Parquet), without reading its rows.
SELECT * FROM read_parquet(?) LIMIT 0
