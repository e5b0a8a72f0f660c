-- The column names of one export file (CSV, gzip or not), without reading its rows.
SELECT * FROM read_csv(?, header = true, all_varchar = true) LIMIT 0
