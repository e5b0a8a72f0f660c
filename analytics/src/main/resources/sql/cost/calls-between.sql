-- API calls in [from, to]. Parameters: from, to.
SELECT count(*) FROM events WHERE event_type = 'AwsApiCall' AND event_time >= ? AND event_time <= ?
