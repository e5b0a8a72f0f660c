-- Every secret of the snapshot with its billed lifetime and tags, in ARN order. A secret not known to exist
-- (secret_exists false or NULL) bears no storage: exists is false for it here.
SELECT f.arn, f.account, f.region, f.billed_from, f.deleted_date, i.tags, coalesce(f.secret_exists, false)
FROM secret_facts f LEFT JOIN inventory i ON i.arn = f.arn ORDER BY f.arn
