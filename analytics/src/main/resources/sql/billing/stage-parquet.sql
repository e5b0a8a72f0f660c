-- One export file, as it is, into a temporary table of the reading connection (the layout is read from its columns),
-- each row numbered (1 = the first) so that a bad one can be named.
CREATE OR REPLACE TEMP TABLE cur_raw AS SELECT *, row_number() OVER () AS cur_row FROM read_parquet(?)
