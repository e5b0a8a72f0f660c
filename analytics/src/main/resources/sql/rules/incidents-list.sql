-- A rule's stored incidents, in the order the runner gives findings.
SELECT payload FROM rule_incidents WHERE rule = ? ORDER BY resource, principal, first_hit
