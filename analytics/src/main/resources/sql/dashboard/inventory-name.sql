-- Name and tags of one inventory entry ($1), or of all when $1 is null.
SELECT arn, name, tags FROM inventory WHERE $1::VARCHAR IS NULL OR arn = $1
