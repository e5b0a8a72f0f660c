-- An acknowledgement or suppression: when, rule, resource, principal ('' for none), action, reason, expires, actor,
-- incident ('' for every alert of the rule, resource and principal).
INSERT INTO alert_actions (acted_at, rule, resource, principal, action, reason, expires, actor, incident)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
