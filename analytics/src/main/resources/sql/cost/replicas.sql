-- The live replicas of a primary secret. Parameter 1: the primary's ARN.
SELECT count(*) FROM secret_facts WHERE primary_arn = ? AND is_replica AND deleted_date IS NULL
