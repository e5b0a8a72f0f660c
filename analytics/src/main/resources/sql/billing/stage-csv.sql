-- One export file (CSV, gzip or not: read_csv detects the compression from the name), every column as text, each row
-- numbered (1 = the first data row) so that a bad one can be named.
CREATE OR REPLACE TEMP TABLE cur_raw AS
SELECT *, row_number() OVER () AS cur_row FROM read_csv(?, header = true, all_varchar = true)
