-- Rejected records by source and whether they were Secrets Manager records, each dead letter once.
SELECT source, coalesce(secrets_manager::VARCHAR, 'unknown'), count(DISTINCT dead_letter_key)
FROM rejections GROUP BY ALL
