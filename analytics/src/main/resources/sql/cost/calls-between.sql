-- API calls in [from, to]. Parameters: from, to, price.batchEntriesBilled (false: the
-- GetSecretValue entries a batch generated, batch_entries, are not calls of their own).
SELECT count(*) FROM events WHERE event_type = 'AwsApiCall' AND event_time >= ? AND event_time <= ?
  AND (? OR event_id NOT IN (SELECT entry_id FROM batch_entries))
