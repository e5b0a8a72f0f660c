-- A secret's KmsKeyId as a full KMS ARN: a bare key id or alias name names a key of the secret's own account and
-- region (that is where Secrets Manager looks it up), so that it does not match the same id in another account.
CREATE OR REPLACE TEMP MACRO kms_key_qualified(k, secret_arn) AS
    CASE WHEN k IS NULL OR starts_with(k, 'arn:') THEN k
         ELSE 'arn:' || split_part(secret_arn, ':', 2) || ':kms:' || split_part(secret_arn, ':', 4) || ':'
             || split_part(secret_arn, ':', 5) || ':' || CASE WHEN starts_with(k, 'alias/') THEN k ELSE 'key/' || k END END
