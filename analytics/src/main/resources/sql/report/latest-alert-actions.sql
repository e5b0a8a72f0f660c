-- The latest acknowledgement or suppression of each alert (rule, resource, principal): what the
-- dashboard shows as an alert's state, and what webhooks honour as a suppression.
SELECT * FROM (
    SELECT *, row_number() OVER (PARTITION BY rule, resource, principal ORDER BY acted_at DESC, rowid DESC) AS latest
    FROM alert_actions)
WHERE latest = 1
