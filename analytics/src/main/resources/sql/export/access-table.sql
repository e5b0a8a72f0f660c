-- Where the access ledger (sql/access/ledger.sql, run with the same parameters the ledger takes) is kept for the
-- Parquet export (table access): the statement before it, the ledger's text after.
CREATE OR REPLACE TEMP TABLE export_access AS
