-- The principals with the most API calls in [month start, asOf]. Parameters: month start, asOf, how many.
SELECT coalesce(principal, 'unknown'), count(*) AS calls FROM events
WHERE event_type = 'AwsApiCall' AND event_time >= ? AND event_time <= ?
GROUP BY ALL ORDER BY calls DESC, 1 LIMIT ?
