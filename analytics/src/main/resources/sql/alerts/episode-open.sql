-- A new alarm episode: rule, resource, principal, episode id, severity, since, the alarm's payload.
INSERT INTO alert_state VALUES ($1, $2, $3, $4, $5, $6, $7)
