-- The latest acknowledgement or suppression of each alert (rule, resource, principal) and of each incident
-- (incident '' for an action on the alert): a fragment, used as a subquery by the dashboard (alert states)
-- and by the alerts (suppressions made on the dashboard silence deliveries).
SELECT * FROM (
    SELECT * REPLACE (coalesce(incident, '') AS incident),
        row_number() OVER (PARTITION BY rule, resource, principal, coalesce(incident, '')
            ORDER BY acted_at DESC, rowid DESC) AS latest
    FROM alert_actions)
WHERE latest = 1
