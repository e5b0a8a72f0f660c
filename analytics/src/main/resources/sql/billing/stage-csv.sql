-- One export file (CSV, gzip or not: read_csv detects the compression from the name), every column as text.
CREATE OR REPLACE TEMP TABLE cur_raw AS SELECT * FROM read_csv(?, header = true, all_varchar = true)
