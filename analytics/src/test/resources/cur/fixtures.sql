-- Constructed Cost and Usage Report exports for the tests, written with DuckDB's COPY: the column names are AWS's,
-- the rows are made up (see SOURCE.md). {dir} is replaced with the directory to write into. Statements are
-- separated by a semicolon at the end of a line.

-- The line items, once: October 2026 of account 123456789012 (the rule fixture's), Secrets Manager and KMS in
-- us-east-1 (no usage type prefix there), and an S3 line that must be left out. Storage of prod/db is in two daily
-- halves, to be summed. set: both (in both exports), match (only the one that reconciles), differ (only the other).
CREATE OR REPLACE TEMP TABLE items AS SELECT * FROM (VALUES
  ('both',   'Usage', 'AWSSecretsManager', 'AWSSecretsManager-Secrets',   'arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-a1b2c3', 0.5, 0.2, TIMESTAMP '2026-10-01 00:00:00', 'us-east-1', 'secret'),
  ('match',  'Usage', 'AWSSecretsManager', 'AWSSecretsManager-Secrets',   'arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-a1b2c3', 0.5, 0.2, TIMESTAMP '2026-10-16 00:00:00', 'us-east-1', 'secret'),
  ('differ', 'Usage', 'AWSSecretsManager', 'AWSSecretsManager-Secrets',   'arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-a1b2c3', 0.5, 0.25, TIMESTAMP '2026-10-16 00:00:00', 'us-east-1', 'secret'),
  ('differ', 'Usage', 'AWSSecretsManager', 'AWSSecretsManager-Secrets',   'arn:aws:secretsmanager:us-east-1:123456789012:secret:legacy/ftp-Zz9Yy8', 1.0, 0.4, TIMESTAMP '2026-10-01 00:00:00', 'us-east-1', 'secret'),
  ('both',   'Usage', 'AWSSecretsManager', 'AWSSecretsManagerAPIRequest', 'arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-a1b2c3', 10.0, 0.00005, TIMESTAMP '2026-10-10 00:00:00', 'us-east-1', 'API Request'),
  ('both',   'Tax',   'AWSSecretsManager', 'AWSSecretsManager-Secrets',   NULL, 0.0, 0.03, TIMESTAMP '2026-10-01 00:00:00', 'us-east-1', NULL),
  ('differ', 'Credit','AWSSecretsManager', 'AWSSecretsManager-Secrets',   NULL, 0.0, -0.4, TIMESTAMP '2026-10-01 00:00:00', 'us-east-1', NULL),
  ('both',   'Usage', 'awskms',            'us-east-1-KMS-Requests',      'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab', 10.0, 0.00003, TIMESTAMP '2026-10-10 00:00:00', 'us-east-1', 'Requests'),
  ('both',   'Usage', 'AmazonS3',          'TimedStorage-ByteHrs',        'trail-bucket', 100.0, 5.0, TIMESTAMP '2026-10-10 00:00:00', 'us-east-1', 'GB-Mo')
) t(set_name, line_item_type, product_code, usage_type, resource_id, amount, cost, usage_start, region, unit);

-- CUR 2.0, Parquet: https://docs.aws.amazon.com/cur/latest/userguide/table-dictionary-cur2.html
COPY (SELECT
    TIMESTAMP '2026-10-01 00:00:00' AS bill_billing_period_start_date,
    TIMESTAMP '2026-11-01 00:00:00' AS bill_billing_period_end_date,
    '999988887777' AS bill_payer_account_id,
    md5(concat_ws('|', set_name, line_item_type, usage_type, resource_id, usage_start)) AS identity_line_item_id,
    strftime(usage_start, '%Y-%m-%dT%H:%M:%SZ') || '/' || strftime(usage_start + INTERVAL 1 DAY, '%Y-%m-%dT%H:%M:%SZ') AS identity_time_interval,
    line_item_type AS line_item_line_item_type,
    '123456789012' AS line_item_usage_account_id,
    usage_start AS line_item_usage_start_date,
    usage_start + INTERVAL 1 DAY AS line_item_usage_end_date,
    product_code AS line_item_product_code,
    usage_type AS line_item_usage_type,
    resource_id AS line_item_resource_id,
    amount::DOUBLE AS line_item_usage_amount,
    cost::DOUBLE AS line_item_unblended_cost,
    cost::DOUBLE AS line_item_net_unblended_cost,
    'USD' AS line_item_currency_code,
    MAP {'region': region, 'servicecode': product_code} AS product,
    region AS product_region_code,
    unit AS pricing_unit
  FROM items WHERE set_name IN ('both', 'match'))
TO '{dir}/cur2/match/data/BILLING_PERIOD=2026-10/secrettrail-00001.snappy.parquet' (FORMAT parquet);

COPY (SELECT
    TIMESTAMP '2026-10-01 00:00:00' AS bill_billing_period_start_date,
    TIMESTAMP '2026-11-01 00:00:00' AS bill_billing_period_end_date,
    '999988887777' AS bill_payer_account_id,
    md5(concat_ws('|', set_name, line_item_type, usage_type, resource_id, usage_start)) AS identity_line_item_id,
    line_item_type AS line_item_line_item_type,
    '123456789012' AS line_item_usage_account_id,
    usage_start AS line_item_usage_start_date,
    product_code AS line_item_product_code,
    usage_type AS line_item_usage_type,
    resource_id AS line_item_resource_id,
    amount::DOUBLE AS line_item_usage_amount,
    cost::DOUBLE AS line_item_unblended_cost,
    cost::DOUBLE AS line_item_net_unblended_cost,
    MAP {'region': region} AS product,
    region AS product_region_code
  FROM items WHERE set_name IN ('both', 'differ'))
TO '{dir}/cur2/differ/data/BILLING_PERIOD=2026-10/secrettrail-00001.snappy.parquet' (FORMAT parquet);

-- Legacy CUR, CSV gzip: https://docs.aws.amazon.com/cur/latest/userguide/Lineitem-columns.html and the bill/,
-- identity/ and product/ columns of the same dictionary. No net column (it is there only with discounts).
COPY (SELECT
    md5(concat_ws('|', set_name, line_item_type, usage_type, resource_id, usage_start)) AS "identity/LineItemId",
    strftime(usage_start, '%Y-%m-%dT%H:%M:%SZ') || '/' || strftime(usage_start + INTERVAL 1 DAY, '%Y-%m-%dT%H:%M:%SZ') AS "identity/TimeInterval",
    '2026-10-01T00:00:00Z' AS "bill/BillingPeriodStartDate",
    '2026-11-01T00:00:00Z' AS "bill/BillingPeriodEndDate",
    '999988887777' AS "bill/PayerAccountId",
    line_item_type AS "lineItem/LineItemType",
    '123456789012' AS "lineItem/UsageAccountId",
    strftime(usage_start, '%Y-%m-%dT%H:%M:%SZ') AS "lineItem/UsageStartDate",
    product_code AS "lineItem/ProductCode",
    usage_type AS "lineItem/UsageType",
    coalesce(resource_id, '') AS "lineItem/ResourceId",
    CAST(amount AS VARCHAR) AS "lineItem/UsageAmount",
    CAST(cost AS VARCHAR) AS "lineItem/UnblendedCost",
    'USD' AS "lineItem/CurrencyCode",
    region AS "product/region"
  FROM items WHERE set_name IN ('both', 'match'))
TO '{dir}/legacy/match/20261001-20261101/secrettrail-00001.csv.gz' (FORMAT csv, HEADER, COMPRESSION gzip);

COPY (SELECT
    '2026-10-01T00:00:00Z' AS "bill/BillingPeriodStartDate",
    line_item_type AS "lineItem/LineItemType",
    '123456789012' AS "lineItem/UsageAccountId",
    strftime(usage_start, '%Y-%m-%dT%H:%M:%SZ') AS "lineItem/UsageStartDate",
    product_code AS "lineItem/ProductCode",
    usage_type AS "lineItem/UsageType",
    coalesce(resource_id, '') AS "lineItem/ResourceId",
    CAST(amount AS VARCHAR) AS "lineItem/UsageAmount",
    CAST(cost AS VARCHAR) AS "lineItem/UnblendedCost",
    region AS "product/region"
  FROM items WHERE set_name IN ('both', 'differ'))
TO '{dir}/legacy/differ/20261001-20261101/secrettrail-00001.csv.gz' (FORMAT csv, HEADER, COMPRESSION gzip);

-- The layout is in the column names, not the file type: CUR 2.0 as CSV (the product map as text), legacy CUR as
-- Parquet (snake_case names, no product map column).
COPY (SELECT
    '2026-10-01T00:00:00Z' AS bill_billing_period_start_date,
    line_item_type AS line_item_line_item_type,
    '123456789012' AS line_item_usage_account_id,
    strftime(usage_start, '%Y-%m-%dT%H:%M:%SZ') AS line_item_usage_start_date,
    product_code AS line_item_product_code,
    usage_type AS line_item_usage_type,
    resource_id AS line_item_resource_id,
    CAST(amount AS VARCHAR) AS line_item_usage_amount,
    CAST(cost AS VARCHAR) AS line_item_unblended_cost,
    CAST(cost AS VARCHAR) AS line_item_net_unblended_cost,
    '{"region":"' || region || '"}' AS product,
    region AS product_region_code
  FROM items WHERE set_name IN ('both', 'match'))
TO '{dir}/layouts/cur2-as-csv.csv' (FORMAT csv, HEADER);

COPY (SELECT
    TIMESTAMP '2026-10-01 00:00:00' AS bill_billing_period_start_date,
    line_item_type AS line_item_line_item_type,
    '123456789012' AS line_item_usage_account_id,
    usage_start AS line_item_usage_start_date,
    product_code AS line_item_product_code,
    usage_type AS line_item_usage_type,
    resource_id AS line_item_resource_id,
    amount::DOUBLE AS line_item_usage_amount,
    cost::DOUBLE AS line_item_unblended_cost,
    region AS product_region
  FROM items WHERE set_name IN ('both', 'match'))
TO '{dir}/layouts/legacy-as-parquet.parquet' (FORMAT parquet);

-- Not an export: a CUR without its usage type and cost columns.
COPY (SELECT
    '123456789012' AS line_item_usage_account_id,
    product_code AS line_item_product_code,
    line_item_type AS line_item_line_item_type,
    amount::DOUBLE AS line_item_usage_amount,
    usage_start AS line_item_usage_start_date
  FROM items)
TO '{dir}/broken/missing-columns.parquet' (FORMAT parquet);
