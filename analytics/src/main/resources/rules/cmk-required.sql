-- cmk-required: the secret's key (secret_kms_keys, the cost model's definition) is aws/secretsmanager, or is not among
-- posture.allowedKmsKeys when set. Keys compare through kms_key_same (key id = key ARN, alias name = alias ARN);
-- a bare key id or alias name a secret's KmsKeyId gives is of the secret's account and region (kms_key_qualified);
-- an allowed alias also matches the key ARN the KMS requests of a secret listed under that alias name.
WITH allowed AS (
    SELECT trim(a.k) AS key
    FROM params p, unnest(string_split(p.allowed_kms_keys, ',')) AS a(k)
    WHERE trim(a.k) <> ''),
learned AS (
    SELECT DISTINCT kms_key_qualified(kms_key_id, arn) AS alias, event_key AS key FROM secret_kms_keys
    WHERE event_key IS NOT NULL AND kms_key_id IS NOT NULL AND kms_key_ref(kms_key_id).kind = 'alias'),
judged AS (
    SELECT f.*, k.kms_key, k.key_source,
        (SELECT count(*) FROM allowed) AS allowed_keys,
        p.cmk_required = 'true' OR (SELECT count(*) FROM allowed) > 0 AS applies,
        -- true: the AWS managed key; false: customer managed; NULL: unknown (a key ARN outside the inventory)
        CASE WHEN k.kms_key IS NULL THEN NULL
             WHEN kms_key_same(k.kms_key, 'alias/aws/secretsmanager') THEN true
             WHEN k.customer_managed OR kms_key_ref(k.kms_key).kind = 'alias' THEN false
             WHEN k.in_inventory THEN true END AS aws_managed,
        EXISTS (SELECT 1 FROM allowed a WHERE kms_key_same(a.key, kms_key_qualified(k.kms_key, f.arn)))
            OR EXISTS (SELECT 1 FROM allowed a, learned l
                       WHERE kms_key_same(l.key, k.kms_key) AND kms_key_same(a.key, l.alias)) AS is_allowed
    FROM secret_facts f
    LEFT JOIN secret_kms_keys k ON k.arn = f.arn, params p
),
described AS (
    SELECT *,
        kms_key || CASE key_source WHEN 'kms-requests' THEN ', as its latest KMS request names it'
                                   WHEN 'inventory' THEN ', its KmsKeyId'
                                   ELSE ', Secrets Manager''s default: the inventory names no KmsKeyId' END
            || coalesce('; ' || managed_by, '') AS key_text
    FROM judged
),
-- verdict: which case the secret is, decided once; status and reason read it
verdict AS (
    SELECT *,
        CASE WHEN NOT applies THEN 'not-required'
             WHEN NOT confirmed THEN 'unknown-secret'
             WHEN deleted_date IS NOT NULL THEN 'deleting'
             WHEN kms_key IS NULL THEN 'no-key'
             WHEN kms_key_same(kms_key, 'alias/aws/secretsmanager') THEN 'aws-managed'
             -- a key the settings allow by name is customer managed, whatever the inventory could tell
             WHEN allowed_keys > 0 AND is_allowed THEN 'allowed'
             WHEN aws_managed THEN 'aws-managed'
             WHEN allowed_keys > 0 THEN 'not-allowed'
             WHEN aws_managed IS NULL THEN 'unknown-kind'
             ELSE 'customer-managed' END AS verdict
    FROM described
)
SELECT arn AS resource,
    CASE WHEN verdict IN ('aws-managed', 'not-allowed') THEN 'alarm'
         WHEN verdict IN ('allowed', 'customer-managed') THEN 'ok'
         ELSE 'skip' END AS status,
    CASE verdict
         WHEN 'not-required' THEN 'not required: posture.cmkRequired is false and posture.allowedKmsKeys is empty'
         WHEN 'unknown-secret' THEN 'not known to exist: not in the inventory, and no successful call or service event names it'
         WHEN 'deleting' THEN 'scheduled for deletion on ' || strftime(deleted_date, '%Y-%m-%dT%H:%M:%SZ')
         WHEN 'no-key' THEN 'no KMS key known: not in the inventory, and no KMS request names it'
         WHEN 'aws-managed' THEN 'encrypted with the AWS managed key aws/secretsmanager (' || key_text || ')'
         WHEN 'allowed' THEN 'encrypted with ' || key_text || ', allowed by posture.allowedKmsKeys (' || allowed_keys || ' keys)'
         WHEN 'not-allowed' THEN 'encrypted with ' || key_text || ', not among posture.allowedKmsKeys (' || allowed_keys || ' keys)'
         WHEN 'unknown-kind' THEN 'encrypted with ' || key_text
             || ', which no inventoried secret lists, so whether it is customer managed is unknown'
         ELSE 'encrypted with the customer managed key ' || key_text END AS reason,
    account, region, first_seen, last_seen
FROM verdict
