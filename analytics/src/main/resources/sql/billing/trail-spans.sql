-- Per account and region, the first and last stored Secrets Manager event up to asOf: the days the trail covers.
-- Parameter 1: asOf.
SELECT account_id, aws_region, min(event_time), max(event_time)
FROM events WHERE event_time <= ? GROUP BY account_id, aws_region
