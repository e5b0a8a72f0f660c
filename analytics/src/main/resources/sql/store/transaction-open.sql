-- Opens the writer's transaction (auto-commit is off, so it stays open until the commit or rollback). A DuckDB
-- Appender joins an open transaction, but with none open it commits what it appends on its own: a batch whose
-- first write is an Appender would be stored in part if it then failed.
SELECT 1
