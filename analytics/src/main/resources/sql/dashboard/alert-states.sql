-- The latest action on each alert (run after "WITH latest_actions AS (report/latest-alert-actions)").
SELECT rule, resource, principal, action, reason, expires, actor, acted_at FROM latest_actions
