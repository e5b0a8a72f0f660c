-- Per secret, its KMS requests up to asOf and the key its latest request with a key used.
-- A request logged in two accounts' trails (the same sharedEventID) counts once. Parameter 1: asOf.
SELECT secret_arn, count(*) AS requests, arg_max(key_arn, event_time) FILTER (WHERE key_arn IS NOT NULL) AS key_arn
FROM kms_requests_once
WHERE event_time <= ?
GROUP BY secret_arn
ORDER BY secret_arn
