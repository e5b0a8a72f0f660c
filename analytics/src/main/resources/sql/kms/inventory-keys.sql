-- Every inventoried secret with the KmsKeyId its listing gives (null: the AWS managed aws/secretsmanager key)
-- and when it is billed (created, deleted or gone), for the secrets that share a customer managed key.
SELECT arn, account, region, json_extract_string(raw, '$.KmsKeyId') AS kms_key_id,
    created_date, least(deleted_date, gone_at) AS ended
FROM inventory
ORDER BY arn
