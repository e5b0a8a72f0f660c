-- Whether two KMS key spellings (see kms_key_ref) name the same key: same kind and id, and the same account and
-- region wherever both say one. Key ids compare without case (KMS prints them in lower case).
CREATE OR REPLACE TEMP MACRO kms_key_same(a, b) AS
    kms_key_ref(a).kind = kms_key_ref(b).kind
    AND (CASE WHEN kms_key_ref(a).kind = 'key' THEN lower(kms_key_ref(a).id) = lower(kms_key_ref(b).id)
              ELSE kms_key_ref(a).id = kms_key_ref(b).id END)
    AND coalesce(kms_key_ref(a).account = kms_key_ref(b).account, true)
    AND coalesce(kms_key_ref(a).region = kms_key_ref(b).region, true)
