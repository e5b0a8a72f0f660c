-- The snapshot's secret_kms_keys: sql/kms/secret-keys.sql, already run for the snapshot's asOf.
SELECT * FROM secret_kms_keys ORDER BY arn
