-- One export file, as it is, into a temporary table of the reading connection (the layout is read from its columns).
CREATE OR REPLACE TEMP TABLE cur_raw AS SELECT * FROM read_parquet(?)
