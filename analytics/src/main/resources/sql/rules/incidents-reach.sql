-- The earliest first hit of a rule's stored incidents whose last hit is at or after $2 (an incident a hit
-- at or after $2 + quiet hours could join); NULL when there is none.
SELECT min(first_hit) FROM rule_incidents WHERE rule = ? AND last_hit >= ?
