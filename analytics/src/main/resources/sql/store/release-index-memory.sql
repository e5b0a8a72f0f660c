-- Before a read that needs the memory (the snapshot). An ART index (event_ids' primary key: about 36 bytes per
-- stored event, 362 MB at 10 million) stays in memory once a write has loaded it, and DuckDB can neither spill
-- nor evict it until a checkpoint writes it out; until then it holds most of the store's memory_limit (512MB),
-- and joins and aggregates that could spill fail instead. A checkpoint frees it (1.4 s at 10 million events,
-- next to nothing when no write came since); the next write loads it again.
CHECKPOINT
