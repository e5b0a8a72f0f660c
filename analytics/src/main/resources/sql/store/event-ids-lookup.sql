-- What event_ids holds for these ids. The code widens "(?)" to one placeholder per id: an IN list of
-- constants is answered from the index (up to DuckDB's index_scan_max_count), a list parameter is not.
SELECT id_hash, key_low, content, source_file, source_record FROM event_ids WHERE id_hash IN (?)
