-- The rotation rules of every inventoried secret that lists any (ListSecrets' RotationRules): its
-- ScheduleExpression and AutomaticallyAfterDays, for RotationSchedules to read.
SELECT arn, json_extract_string(raw, '$.RotationRules.ScheduleExpression') AS schedule_expression,
    coalesce(TRY_CAST(json_extract_string(raw, '$.RotationRules.AutomaticallyAfterDays') AS INTEGER), rotation_days) AS after_days
FROM inventory
WHERE json_extract_string(raw, '$.RotationRules.ScheduleExpression') IS NOT NULL
    OR json_extract_string(raw, '$.RotationRules.AutomaticallyAfterDays') IS NOT NULL OR rotation_days IS NOT NULL
ORDER BY arn
