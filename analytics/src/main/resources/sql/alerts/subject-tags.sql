-- The inventory tags of the secrets an alert comparison routes: those of $1 (a JSON list of ARNs), or every
-- tagged one when $1 is NULL (a comparison also clears stored alarms, whose secrets it does not list first).
SELECT arn, tags FROM inventory
WHERE tags IS NOT NULL AND ($1 IS NULL OR arn IN (SELECT unnest($1::JSON::VARCHAR[])))
