-- The open posture alarm episodes opened in a digest's period: after $1 (the previous firing), up to $2 (this one).
SELECT rule, resource, severity, since FROM alert_state WHERE since > $1 AND since <= $2 ORDER BY since, rule, resource
