-- Every secret the snapshot knows (inventory or events), whether it is confirmed to exist, and whether an inventory
-- lists it.
SELECT f.arn, f.secret_exists, i.arn IS NOT NULL
FROM secret_facts f LEFT JOIN inventory i ON i.arn = f.arn
