-- Secrets Manager events up to asOf. Parameter 1: asOf.
SELECT count(*) FROM events WHERE event_time <= ?
