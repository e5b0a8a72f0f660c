-- A KMS key as written in a KmsKeyId, a KMS request's resources[].ARN or posture.allowedKmsKeys, taken apart so
-- that two spellings of one key compare equal: kind 'key' (a key ARN or a bare key id) or 'alias' (an alias ARN or
-- alias/NAME), id the key id or the alias name (without alias/), and the account and region an ARN names (NULL for
-- a bare id or alias name, which match any). kms_key_same(a, b) is whether two such spellings name the same key.
CREATE OR REPLACE TEMP MACRO kms_key_ref(k) AS
    CASE WHEN starts_with(trim(k), 'arn:') THEN {
             'kind': CASE WHEN starts_with(split_part(trim(k), ':', 6), 'alias/') THEN 'alias' ELSE 'key' END,
             'id': CASE WHEN starts_with(split_part(trim(k), ':', 6), 'alias/') THEN substr(split_part(trim(k), ':', 6), 7)
                        ELSE regexp_replace(split_part(trim(k), ':', 6), '^key/', '') END,
             'account': split_part(trim(k), ':', 5), 'region': split_part(trim(k), ':', 4)}
         WHEN starts_with(trim(k), 'alias/') THEN {'kind': 'alias', 'id': substr(trim(k), 7), 'account': NULL, 'region': NULL}
         ELSE {'kind': 'key', 'id': trim(k), 'account': NULL, 'region': NULL} END
