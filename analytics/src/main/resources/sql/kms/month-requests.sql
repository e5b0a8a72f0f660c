-- The KMS requests of [from, to) by secret, account, region and key — [from, to] when parameter 3 is true (the open
-- month to asOf, counted like calls and secrets[].kmsRequests, which include asOf). Parameters: $1 from, $2 to,
-- $3 whether to itself is included.
SELECT secret_arn, account_id, aws_region, key_arn, count(*) AS requests
FROM kms_requests
WHERE event_time >= $1 AND (event_time < $2 OR ($3 AND event_time = $2))
GROUP BY secret_arn, account_id, aws_region, key_arn
ORDER BY secret_arn, account_id, aws_region, key_arn
