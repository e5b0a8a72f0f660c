-- A recomputed incident: rule, id, resource, principal, first hit, last hit, finding (JSON).
INSERT INTO rule_incidents VALUES (?, ?, ?, ?, ?, ?, ?)
