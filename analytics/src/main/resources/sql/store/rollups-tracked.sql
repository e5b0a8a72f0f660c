-- For a rebuild: every secret key events name, whether it is confirmed to exist, and whether it is
-- kept (tracked one by one): confirmed, or among the first ? never-confirmed keys of its account
-- and region (the earliest seen). "Confirms" is the same condition as in unconfirmed-names.sql.
CREATE OR REPLACE TEMP TABLE tracked AS
WITH keys AS (
    SELECT secret_key, bool_or(resolved) AS resolved, any_value(account) AS account,
        any_value(region) AS region, any_value(name) AS name, min(event_time) AS first
    FROM event_secrets GROUP BY secret_key
),
confirming AS (
    SELECT DISTINCT s.secret_key FROM event_secrets s JOIN events e USING (event_id)
    WHERE ((e.error_code IS NULL AND e.event_name <> 'BatchGetSecretValue') OR coalesce(e.event_type, '') <> 'AwsApiCall')
),
judged AS (
    SELECT k.*, k.secret_key IN (SELECT secret_key FROM confirming) OR k.secret_key IN (SELECT arn FROM inventory)
        OR EXISTS (SELECT 1 FROM inventory i WHERE i.account = k.account AND i.region = k.region AND i.name = k.name)
        AS confirmed
    FROM keys k
)
SELECT *, confirmed OR row_number() OVER (PARTITION BY confirmed, coalesce(account, ''), coalesce(region, '')
                                          ORDER BY first, secret_key) <= ? AS kept
FROM judged
