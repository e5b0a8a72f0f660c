-- API calls up to asOf attributed to no secret: naming none, or none that exists (billed_refs: a name never
-- confirmed, or not tracked one by one). Parameter 1: asOf.
SELECT count(*) FROM events WHERE event_time <= ? AND event_type = 'AwsApiCall'
  AND event_id NOT IN (SELECT event_id FROM billed_refs)
