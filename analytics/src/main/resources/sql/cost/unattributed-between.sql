-- API calls in [from, to] that name no secret. Parameters: from, to.
SELECT count(*) FROM events WHERE event_type = 'AwsApiCall' AND NOT names_secret AND event_time >= ? AND event_time <= ?
