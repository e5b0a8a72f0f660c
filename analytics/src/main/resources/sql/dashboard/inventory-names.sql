-- Name and tags of every inventory entry.
SELECT arn, name, tags FROM inventory
