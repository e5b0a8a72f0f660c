-- Name, tags and when it left the listing (null: still listed) of every inventory entry.
SELECT arn, name, tags, gone_at FROM inventory
