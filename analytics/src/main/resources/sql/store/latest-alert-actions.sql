-- The latest acknowledgement or suppression of each alert (rule, resource, principal): a fragment, used as a subquery
-- by the dashboard (alert states) and by the alerts (suppressions made on the dashboard silence deliveries).
SELECT * FROM (
    SELECT *, row_number() OVER (PARTITION BY rule, resource, principal ORDER BY acted_at DESC, rowid DESC) AS latest
    FROM alert_actions)
WHERE latest = 1
