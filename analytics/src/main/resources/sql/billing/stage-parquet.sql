-- One export file (Parquet) into a temporary table: only the columns read and the Secrets Manager and KMS rows (see
-- stage-csv), each row numbered first (1 = the first) so that a bad one can be named.
CREATE OR REPLACE TEMP TABLE cur_raw AS
SELECT * FROM (SELECT /*columns*/, row_number() OVER () AS cur_row FROM read_parquet(?))
WHERE CAST(/*product*/ AS VARCHAR) IN (?, ?)
