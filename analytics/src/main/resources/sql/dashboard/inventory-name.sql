-- Name, tags and when it left the listing (null: still listed) of one inventory entry ($1), or of all when $1 is null.
SELECT arn, name, tags, gone_at FROM inventory WHERE $1::VARCHAR IS NULL OR arn = $1
