-- The rotation rules of every inventoried secret with rotation enabled that lists any (ListSecrets'
-- RotationRules): its ScheduleExpression and AutomaticallyAfterDays, for RotationSchedules to read. A secret
-- without rotation has no schedule to judge (rotation-disabled reports it), and a cron costs a walk.
SELECT arn, json_extract_string(raw, '$.RotationRules.ScheduleExpression') AS schedule_expression,
    coalesce(TRY_CAST(json_extract_string(raw, '$.RotationRules.AutomaticallyAfterDays') AS INTEGER), rotation_days) AS after_days
FROM inventory
WHERE rotation_enabled AND (json_extract_string(raw, '$.RotationRules.ScheduleExpression') IS NOT NULL
    OR json_extract_string(raw, '$.RotationRules.AutomaticallyAfterDays') IS NOT NULL OR rotation_days IS NOT NULL)
ORDER BY arn
