-- The regions of the live replicas of a primary secret, one row each. Parameter 1: the primary's ARN.
SELECT region FROM secret_facts WHERE primary_arn = ? AND is_replica AND deleted_date IS NULL ORDER BY region
