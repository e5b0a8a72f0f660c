-- The principals with the most API calls in [month start, asOf]. Parameters: month start, asOf,
-- price.batchEntriesBilled (false: generated batch entries are not calls of their own), how many.
SELECT coalesce(principal, 'unknown'), count(*) AS calls FROM events
WHERE event_type = 'AwsApiCall' AND event_time >= ? AND event_time <= ?
  AND (? OR event_id NOT IN (SELECT entry_id FROM batch_entries))
GROUP BY ALL ORDER BY calls DESC, 1 LIMIT ?
