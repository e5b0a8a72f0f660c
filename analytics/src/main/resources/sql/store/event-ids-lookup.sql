-- What event_ids holds for these id hashes (a list parameter, hash-joined with one scan of the table's id_hash
-- column): asked once per batch, only for the ids the in-memory filter may hold.
SELECT id_hash, key_low, content, source_file, source_record FROM event_ids
WHERE id_hash IN (SELECT unnest(?::BIGINT[]))
