-- V002: the SQL every reader shares that depends on no parameter, as views and macros, so that no
-- class has to publish a fragment for others to paste in front of their queries.

-- Per (account, region, name), the ARN a secret key resolves to: the inventory wins; among full ARNs
-- learned from events, the smallest, so the pick is stable.
CREATE OR REPLACE VIEW secret_arns AS
WITH known AS (
    SELECT arn AS key, account, region, name, 0 AS prio FROM inventory
    UNION ALL
    SELECT secret_key, account, region, name, 1 FROM secret_keys WHERE resolved
)
SELECT account, region, name, arg_min(key, prio::VARCHAR || key) AS arn
FROM known GROUP BY account, region, name;

-- Every secret key events name (secret_keys), resolved to its final ARN; an unresolved key stays itself.
-- Columns: key, arn, resolved. The key '' (events naming no secret) maps to ''. The report, the rules,
-- the dashboard and the policies all resolve so.
CREATE OR REPLACE VIEW keymap AS
SELECT k.secret_key AS key, CASE WHEN k.resolved THEN k.secret_key ELSE coalesce(b.arn, k.secret_key) END AS arn,
    k.resolved OR b.arn IS NOT NULL AS resolved
FROM secret_keys k
LEFT JOIN secret_arns b ON NOT k.resolved AND b.account = k.account AND b.region = k.region AND b.name = k.name
UNION ALL SELECT '', '', true;

-- keymap, plus the names the store does not track one by one (never confirmed, past the cap of their
-- account and region) that have since turned out to be a known secret (the inventory, or a full ARN AWS
-- wrote, names it). Any other untracked name maps to nothing: it is counted in unknownNames, not as a
-- secret.
CREATE OR REPLACE VIEW keymap_all AS
SELECT * FROM keymap
UNION ALL
SELECT DISTINCT es.secret_key, b.arn, true
FROM event_secrets es JOIN secret_arns b ON b.account = es.account AND b.region = es.region AND b.name = es.name
WHERE es.secret_key NOT IN (SELECT secret_key FROM secret_keys) AND (NOT es.resolved OR es.secret_key = b.arn);

-- A span for a reason text: "4 s", "9 min 59 s", "23 h 10 min".
CREATE OR REPLACE MACRO span_text(a, b) AS (
    CASE WHEN epoch(b - a) < 60 THEN CAST(floor(epoch(b - a)) AS BIGINT) || ' s'
         WHEN epoch(b - a) < 3600 THEN CAST(floor(epoch(b - a) / 60) AS BIGINT) || ' min'
             || CASE WHEN CAST(floor(epoch(b - a)) AS BIGINT) % 60 > 0
                     THEN ' ' || CAST(floor(epoch(b - a)) AS BIGINT) % 60 || ' s' ELSE '' END
         ELSE CAST(floor(epoch(b - a) / 3600) AS BIGINT) || ' h'
             || CASE WHEN CAST(floor(epoch(b - a) / 60) AS BIGINT) % 60 > 0
                     THEN ' ' || CAST(floor(epoch(b - a) / 60) AS BIGINT) % 60 || ' min' ELSE '' END END);

-- The account of an ARN, NULL when it has none.
CREATE OR REPLACE MACRO account_of(arn) AS nullif(split_part(arn, ':', 5), '');
