-- Every secret of the snapshot with its billed lifetime and tags, in ARN order.
SELECT f.arn, f.account, f.region, f.created_date, f.deleted_date, i.tags
FROM secret_facts f LEFT JOIN inventory i ON i.arn = f.arn ORDER BY f.arn
