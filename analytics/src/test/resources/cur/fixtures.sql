-- Constructed Cost and Usage Report exports for the tests, written with DuckDB's COPY: the column names are AWS's,
-- the rows are made up (see SOURCE.md). {dir} is replaced with the directory to write into. Statements are
-- separated by a semicolon at the end of a line.

-- The line items, once: October 2026 of account 123456789012 (the rule fixture's), Secrets Manager and KMS in
-- us-east-1 (no usage type prefix for Secrets Manager there; KMS writes the region code), and an S3 line that must
-- be left out. Storage of prod/db is in two daily halves, to be summed. set: both (in both exports), match (only
-- the one that reconciles), differ (only the other).
-- KMS as AWS bills it: the account's first 20,000 requests of the month are free, so its request usage comes as a
-- $0.00 line for them (all of match's 2,000) and a line at $0.03 per 10,000 for the rest (differ's 9,000 past the
-- 20,000); a customer managed key's month as daily lines of 24 of its 744 hours (AWS writes 10 decimals).
CREATE OR REPLACE TEMP TABLE items AS SELECT * FROM (VALUES
  ('both',   'Usage', 'AWSSecretsManager', 'AWSSecretsManager-Secrets',   'arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-a1b2c3', 0.5, 0.2, TIMESTAMP '2026-10-01 00:00:00', 'us-east-1', 'secret', '$0.40 per secret per month'),
  ('match',  'Usage', 'AWSSecretsManager', 'AWSSecretsManager-Secrets',   'arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-a1b2c3', 0.5, 0.2, TIMESTAMP '2026-10-16 00:00:00', 'us-east-1', 'secret', '$0.40 per secret per month'),
  ('differ', 'Usage', 'AWSSecretsManager', 'AWSSecretsManager-Secrets',   'arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-a1b2c3', 0.5, 0.25, TIMESTAMP '2026-10-16 00:00:00', 'us-east-1', 'secret', '$0.40 per secret per month'),
  ('differ', 'Usage', 'AWSSecretsManager', 'AWSSecretsManager-Secrets',   'arn:aws:secretsmanager:us-east-1:123456789012:secret:legacy/ftp-Zz9Yy8', 1.0, 0.4, TIMESTAMP '2026-10-01 00:00:00', 'us-east-1', 'secret', '$0.40 per secret per month'),
  ('both',   'Usage', 'AWSSecretsManager', 'AWSSecretsManagerAPIRequest', 'arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-a1b2c3', 10.0, 0.00005, TIMESTAMP '2026-10-10 00:00:00', 'us-east-1', 'API Request', '$0.05 per 10,000 API requests'),
  ('both',   'Tax',   'AWSSecretsManager', 'AWSSecretsManager-Secrets',   NULL, 0.0, 0.03, TIMESTAMP '2026-10-01 00:00:00', 'us-east-1', NULL, 'Tax for product code AWSSecretsManager'),
  ('differ', 'Credit','AWSSecretsManager', 'AWSSecretsManager-Secrets',   NULL, 0.0, -0.4, TIMESTAMP '2026-10-01 00:00:00', 'us-east-1', NULL, 'AWS credit'),
  ('match',  'Usage', 'awskms',            'us-east-1-KMS-Requests',      'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab', 2000.0, 0.0, TIMESTAMP '2026-10-01 00:00:00', 'us-east-1', 'Requests', '$0.00 per request - 20,000 free requests per month'),
  ('differ', 'Usage', 'awskms',            'us-east-1-KMS-Requests',      'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab', 20000.0, 0.0, TIMESTAMP '2026-10-01 00:00:00', 'us-east-1', 'Requests', '$0.00 per request - 20,000 free requests per month'),
  ('differ', 'Usage', 'awskms',            'us-east-1-KMS-Requests',      'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab', 9000.0, 0.027, TIMESTAMP '2026-10-25 00:00:00', 'us-east-1', 'Requests', '$0.03 per 10,000 requests - US East (N. Virginia)'),
  ('differ', 'Usage', 'awskms',            'us-east-1-KMS-Keys',          'arn:aws:kms:us-east-1:123456789012:key/0000ffff-00ff-00ff-00ff-00000000ffff', 1.0, 1.0, TIMESTAMP '2026-10-01 00:00:00', 'us-east-1', 'Keys', '$1 per customer managed KMS key version - US East (N. Virginia)'),
  ('both',   'Usage', 'AmazonS3',          'TimedStorage-ByteHrs',        'trail-bucket', 100.0, 5.0, TIMESTAMP '2026-10-10 00:00:00', 'us-east-1', 'GB-Mo', '$0.023 per GB - first 50 TB / month of storage used')
) t(set_name, line_item_type, product_code, usage_type, resource_id, amount, cost, usage_start, region, unit, description)
UNION ALL
SELECT 'both', 'Usage', 'awskms', 'us-east-1-KMS-Keys', 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    0.0322580645, 0.0322580645, TIMESTAMP '2026-10-01 00:00:00' + to_days(d::INTEGER), 'us-east-1', 'Keys',
    '$1 per customer managed KMS key version - US East (N. Virginia)'
FROM range(31) r(d);

-- CUR 2.0, Parquet: https://docs.aws.amazon.com/cur/latest/userguide/table-dictionary-cur2.html
CREATE OR REPLACE TEMP VIEW cur2 AS SELECT
    set_name,
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
    description AS line_item_line_item_description,
    amount::DOUBLE AS line_item_usage_amount,
    CASE WHEN amount = 0 THEN NULL ELSE (cost / amount)::DOUBLE END AS line_item_unblended_rate,
    cost::DOUBLE AS line_item_unblended_cost,
    cost::DOUBLE AS line_item_net_unblended_cost,
    'USD' AS line_item_currency_code,
    MAP {'region': region, 'servicecode': product_code} AS product,
    region AS product_region_code,
    unit AS pricing_unit
  FROM items;

COPY (SELECT * EXCLUDE (set_name) FROM cur2 WHERE set_name IN ('both', 'match'))
TO '{dir}/cur2/match/data/BILLING_PERIOD=2026-10/secrettrail-00001.snappy.parquet' (FORMAT parquet);

-- the differing export with fewer of the optional columns
COPY (SELECT * EXCLUDE (set_name, identity_time_interval, line_item_usage_end_date, line_item_currency_code,
        line_item_line_item_description, line_item_unblended_rate, pricing_unit)
  FROM cur2 WHERE set_name IN ('both', 'differ'))
TO '{dir}/cur2/differ/data/BILLING_PERIOD=2026-10/secrettrail-00001.snappy.parquet' (FORMAT parquet);

-- Legacy CUR, CSV gzip: https://docs.aws.amazon.com/cur/latest/userguide/Lineitem-columns.html and the bill/,
-- identity/ and product/ columns of the same dictionary. No net column (it is there only with discounts).
CREATE OR REPLACE TEMP VIEW legacy AS SELECT
    set_name,
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
    description AS "lineItem/LineItemDescription",
    CAST(amount AS VARCHAR) AS "lineItem/UsageAmount",
    CASE WHEN amount = 0 THEN '' ELSE CAST(round(cost / amount, 10) AS VARCHAR) END AS "lineItem/UnblendedRate",
    CAST(cost AS VARCHAR) AS "lineItem/UnblendedCost",
    'USD' AS "lineItem/CurrencyCode",
    region AS "product/region"
  FROM items;

COPY (SELECT * EXCLUDE (set_name) FROM legacy WHERE set_name IN ('both', 'match'))
TO '{dir}/legacy/match/20261001-20261101/secrettrail-00001.csv.gz' (FORMAT csv, HEADER, COMPRESSION gzip);

COPY (SELECT * EXCLUDE (set_name, "identity/LineItemId", "identity/TimeInterval", "bill/BillingPeriodEndDate",
        "bill/PayerAccountId", "lineItem/LineItemDescription", "lineItem/UnblendedRate", "lineItem/CurrencyCode")
  FROM legacy WHERE set_name IN ('both', 'differ'))
TO '{dir}/legacy/differ/20261001-20261101/secrettrail-00001.csv.gz' (FORMAT csv, HEADER, COMPRESSION gzip);

-- The layout is in the column names, not the file type: CUR 2.0 as CSV (the product map as text, every value as
-- text), legacy CUR as Parquet (snake_case names, no product map column).
COPY (SELECT
    '2026-10-01T00:00:00Z' AS bill_billing_period_start_date,
    line_item_line_item_type, line_item_usage_account_id,
    strftime(line_item_usage_start_date, '%Y-%m-%dT%H:%M:%SZ') AS line_item_usage_start_date,
    line_item_product_code, line_item_usage_type, line_item_resource_id,
    CAST(line_item_usage_amount AS VARCHAR) AS line_item_usage_amount,
    CAST(line_item_unblended_cost AS VARCHAR) AS line_item_unblended_cost,
    CAST(line_item_net_unblended_cost AS VARCHAR) AS line_item_net_unblended_cost,
    '{"region":"' || product_region_code || '"}' AS product,
    product_region_code
  FROM cur2 WHERE set_name IN ('both', 'match'))
TO '{dir}/layouts/cur2-as-csv.csv' (FORMAT csv, HEADER);

COPY (SELECT
    bill_billing_period_start_date, line_item_line_item_type, line_item_usage_account_id, line_item_usage_start_date,
    line_item_product_code, line_item_usage_type, line_item_resource_id, line_item_usage_amount,
    line_item_unblended_cost, product_region_code AS product_region
  FROM cur2 WHERE set_name IN ('both', 'match'))
TO '{dir}/layouts/legacy-as-parquet.parquet' (FORMAT parquet);

-- Not an export: a CUR without its usage type and cost columns.
COPY (SELECT
    line_item_usage_account_id, line_item_product_code, line_item_line_item_type, line_item_usage_amount,
    line_item_usage_start_date
  FROM cur2)
TO '{dir}/broken/missing-columns.parquet' (FORMAT parquet);
