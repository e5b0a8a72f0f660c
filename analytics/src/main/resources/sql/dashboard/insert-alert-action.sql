-- An acknowledgement or suppression: when, rule, resource, principal ('' for none), action, reason, expires, actor.
INSERT INTO alert_actions VALUES (?, ?, ?, ?, ?, ?, ?, ?)
