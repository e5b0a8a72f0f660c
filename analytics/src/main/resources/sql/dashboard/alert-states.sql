-- The latest action on each alert and on each incident (run after "WITH latest_actions AS (store/latest-alert-actions)").
SELECT rule, resource, principal, action, reason, expires, actor, acted_at, incident FROM latest_actions
