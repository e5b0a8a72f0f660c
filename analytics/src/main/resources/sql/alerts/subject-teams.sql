-- The owning team of secrets: those of $1 (a JSON list of ARNs), or every owned one when $1 is NULL.
SELECT arn, team FROM secret_owners
WHERE team IS NOT NULL AND team <> '' AND ($1 IS NULL OR arn IN (SELECT unnest($1::JSON::VARCHAR[])))
