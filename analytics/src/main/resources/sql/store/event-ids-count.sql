-- How many ids are stored: the size the writer's in-memory filter is built for.
SELECT count(*) FROM event_ids
