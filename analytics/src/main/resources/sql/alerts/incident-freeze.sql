-- An incident recorded closed is frozen (V009): $1 incident, $2 its rule. What had arrived then is the
-- rule's watermark, or, for a rule never evaluated incrementally, the last event stored. Kept once set.
INSERT OR IGNORE INTO incident_freezes
SELECT $1, coalesce((SELECT arrival FROM rule_watermarks WHERE rule = $2), (SELECT coalesce(max(arrival), 0) FROM events))
