-- Every stored id hash: what the writer's in-memory filter is built from, on open and when the store outgrows it.
SELECT id_hash FROM event_ids
