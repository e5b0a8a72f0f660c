-- The KMS requests of [from, to) by secret, account, region and key. Parameters 1, 2: from, to.
SELECT secret_arn, account_id, aws_region, key_arn, count(*) AS requests
FROM kms_requests
WHERE event_time >= ? AND event_time < ?
GROUP BY secret_arn, account_id, aws_region, key_arn
ORDER BY secret_arn, account_id, aws_region, key_arn
