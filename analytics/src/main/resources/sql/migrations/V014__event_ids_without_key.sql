-- V014: event_ids loses its primary key. The writer now keeps a filter of the stored id hashes in memory and asks
-- event_ids only about the ids that filter may hold (see store/EventIds.java); each id is still stored once, as
-- the filter has no false negatives and a possible hit is decided here. The key's ART index cost about 36 bytes of
-- native memory per stored event (that DuckDB can neither spill nor evict before a checkpoint) and most of the
-- write time of a batch. DuckDB cannot drop a primary key in place: the table is copied into one without it.
CREATE TABLE event_ids_v014 (
    id_hash BIGINT NOT NULL,
    key_low BIGINT NOT NULL,
    content BIGINT NOT NULL,
    source_file VARCHAR,
    source_record BIGINT);
INSERT INTO event_ids_v014 SELECT id_hash, key_low, content, source_file, source_record FROM event_ids;
DROP TABLE event_ids;
ALTER TABLE event_ids_v014 RENAME TO event_ids;
