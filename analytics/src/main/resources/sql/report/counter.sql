-- A counter of the store, 0 when it was never counted. Parameter 1: its name.
SELECT coalesce(max(value), 0) FROM counters WHERE name = ?
