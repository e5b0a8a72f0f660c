-- One export file (CSV, gzip or not: read_csv detects the compression from the name), as text, into a temporary
-- table: only the columns read (/*columns*/, quoted names from the reader's constant lists, never from the file) and
-- only the Secrets Manager and KMS rows (/*product*/, the product code column), so that an export of hundreds of
-- columns and millions of rows is not copied whole. Each row is numbered first (1 = the first data row), so that a
-- bad one can be named.
CREATE OR REPLACE TEMP TABLE cur_raw AS
SELECT * FROM (SELECT /*columns*/, row_number() OVER () AS cur_row
               FROM read_csv(?, header = true, all_varchar = true))
WHERE CAST(/*product*/ AS VARCHAR) IN (?, ?)
