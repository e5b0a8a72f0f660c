-- The (account, region) pairs whose data holds KMS requests up to asOf: there a secret without any has made
-- none; elsewhere the trail may simply not record KMS. Parameter 1: asOf.
SELECT DISTINCT account_id, aws_region
FROM kms_requests
WHERE event_time <= ?
ORDER BY account_id, aws_region
