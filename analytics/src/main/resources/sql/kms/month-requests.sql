-- The KMS requests of [from, to) by secret, billed account, region and key — [from, to] when parameter 3 is true
-- (the open month to asOf, counted like calls and secrets[].kmsRequests, which include asOf) — with how many of
-- them fall within the account's free requests of the month. Parameters: $1 from (a month's start, for the free
-- count to mean the month's), $2 to, $3 whether to itself is included, $4 the free requests per account and month.
-- billed_account: the account of the identity that made the request, which KMS bills for a cross-account key
-- (kms_requests_once.caller_account: userIdentity.accountId, else the principal ARN's account); else the trail's
-- recipient account; else the secret's.
-- free_requests: the account's first $4 requests in time order (AWS bills usage as it accrues, so the free tier
-- covers the earliest), wherever their region.
-- A request logged in two accounts' trails (the same sharedEventID) is one request: kms_requests_once.
WITH period AS (
    SELECT secret_arn, aws_region, key_arn, event_time, event_id,
        coalesce(caller_account, account_id, nullif(split_part(secret_arn, ':', 5), '')) AS billed_account
    FROM kms_requests_once
    WHERE event_time >= $1 AND (event_time < $2 OR ($3 AND event_time = $2))),
ranked AS (
    SELECT *, row_number() OVER (PARTITION BY billed_account ORDER BY event_time, event_id) AS nth
    FROM period)
SELECT secret_arn, billed_account, aws_region, key_arn, count(*) AS requests,
    count(*) FILTER (WHERE nth <= $4) AS free_requests
FROM ranked
GROUP BY secret_arn, billed_account, aws_region, key_arn
ORDER BY secret_arn, billed_account, aws_region, key_arn
