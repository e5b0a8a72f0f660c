-- Stores the ids of new events (hash, low bits, content, file, record as lists): the filter said none of them is
-- stored, so no lookup and no index stands in the way.
INSERT INTO event_ids
SELECT unnest(?::BIGINT[]), unnest(?::BIGINT[]), unnest(?::BIGINT[]), unnest(?::VARCHAR[]), unnest(?::BIGINT[])
