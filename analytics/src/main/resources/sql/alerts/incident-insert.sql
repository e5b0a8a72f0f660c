-- An incident seen for the first time, its opening handled (notified, or suppressed) at $10:
-- id, rule, subject, resource, principal, first hit, last hit, severity, state, handled at, closed at, payload.
INSERT INTO incidents VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
