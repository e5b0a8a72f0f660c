-- API calls up to asOf that name no secret. Parameter 1: asOf.
SELECT count(*) FROM events WHERE event_time <= ? AND NOT names_secret AND event_type = 'AwsApiCall'
