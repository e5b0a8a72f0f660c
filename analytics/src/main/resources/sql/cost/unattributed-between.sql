-- API calls in [from, to] attributed to no secret: naming none, or none that exists (billed_refs). Parameters:
-- from, to, price.batchEntriesBilled (false: generated batch entries are not calls of their own).
SELECT count(*) FROM events WHERE event_type = 'AwsApiCall' AND event_time >= ? AND event_time <= ?
  AND (? OR event_id NOT IN (SELECT entry_id FROM batch_entries))
  AND event_id NOT IN (SELECT event_id FROM billed_refs)
