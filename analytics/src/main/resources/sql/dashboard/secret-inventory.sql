-- A secret's ($1) inventory entry.
SELECT rotation_enabled, rotation_days, rotation_lambda_arn, created_date, last_rotated_date, next_rotation_date,
    last_accessed_date, deleted_date, primary_region FROM inventory WHERE arn = $1
