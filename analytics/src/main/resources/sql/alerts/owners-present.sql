-- Whether this connection sees the ownership resolution's secret_owners (a snapshot's temporary table, or a table).
SELECT count(*) FROM duckdb_tables() WHERE table_name = 'secret_owners'
