-- Whether the database already holds tables (a file being upgraded, not one just created).
SELECT count(*) > 0 FROM duckdb_tables() WHERE database_name = current_database() AND NOT temporary
