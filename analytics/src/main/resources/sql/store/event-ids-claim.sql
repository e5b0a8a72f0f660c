-- Claims each id (hash, low bits, content, file, record as lists) through the primary key's index;
-- returns the ids claimed now, so the others are copies of stored events.
INSERT INTO event_ids
SELECT unnest(?::BIGINT[]), unnest(?::BIGINT[]), unnest(?::BIGINT[]), unnest(?::VARCHAR[]), unnest(?::BIGINT[])
ON CONFLICT DO NOTHING RETURNING id_hash
