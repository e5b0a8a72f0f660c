-- The line items of the staged export (columns renamed to the CUR 2.0 names, absent optional
-- ones added as NULL), one row per export row, with what is wrong with it, if anything (bad_column names the first
-- column that is not usable, in its CUR 2.0 name; NULL when the row is good).
-- Amounts go through text so that a Parquet DOUBLE keeps the digits AWS wrote (0.4, not 0.40000000000000002); a text
-- that is not a number is a bad row, not an error that stops the read.
-- The month is the first 7 characters of the period (or usage start) text; the reader sets TimeZone to UTC so that a
-- TIMESTAMPTZ is written in UTC. A month that is not a real one (2026-00, 9999-99, garbage) is a bad row.
-- The region: the product's region code, else the legacy product region, else the region of the resource ARN.
CREATE OR REPLACE TEMP VIEW cur_items AS
WITH texts AS (
    SELECT
        cur_row,
        nullif(CAST(bill_billing_period_start_date AS VARCHAR), '') AS period_text,
        nullif(CAST(line_item_usage_start_date AS VARCHAR), '') AS start_text,
        nullif(CAST(line_item_usage_account_id AS VARCHAR), '') AS account,
        coalesce(nullif(CAST(product_region_code AS VARCHAR), ''), nullif(CAST(product_region AS VARCHAR), ''),
                 CASE WHEN CAST(line_item_resource_id AS VARCHAR) LIKE 'arn:%'
                      THEN nullif(split_part(CAST(line_item_resource_id AS VARCHAR), ':', 4), '') END) AS region,
        CAST(line_item_product_code AS VARCHAR) AS product_code,
        CAST(line_item_usage_type AS VARCHAR) AS usage_type,
        nullif(CAST(line_item_line_item_type AS VARCHAR), '') AS line_item_type,
        nullif(CAST(line_item_resource_id AS VARCHAR), '') AS resource_id,
        nullif(CAST(line_item_usage_amount AS VARCHAR), '') AS quantity_text,
        nullif(CAST(line_item_unblended_cost AS VARCHAR), '') AS unblended_text,
        nullif(CAST(line_item_net_unblended_cost AS VARCHAR), '') AS net_text
    FROM cur_raw),
typed AS (
    SELECT *,
        substr(coalesce(period_text, start_text), 1, 7) AS month,
        CASE WHEN period_text IS NOT NULL THEN 'bill_billing_period_start_date'
             ELSE 'line_item_usage_start_date' END AS month_column,
        TRY_CAST(coalesce(quantity_text, '0') AS DECIMAL(38, 10)) AS quantity,
        TRY_CAST(coalesce(unblended_text, '0') AS DECIMAL(38, 10)) AS unblended,
        TRY_CAST(net_text AS DECIMAL(38, 10)) AS net
    FROM texts)
SELECT *,
    CASE WHEN line_item_type IS NULL THEN 'line_item_line_item_type'
         WHEN coalesce(period_text, start_text) IS NULL
              OR NOT regexp_full_match(month, '[0-9]{4}-[0-9]{2}')
              OR try_strptime(month || '-01', '%Y-%m-%d') IS NULL THEN month_column
         WHEN quantity IS NULL THEN 'line_item_usage_amount'
         WHEN unblended IS NULL THEN 'line_item_unblended_cost'
         WHEN net IS NULL AND net_text IS NOT NULL THEN 'line_item_net_unblended_cost' END AS bad_column,
    CASE WHEN line_item_type IS NULL THEN NULL
         WHEN coalesce(period_text, start_text) IS NULL
              OR NOT regexp_full_match(month, '[0-9]{4}-[0-9]{2}')
              OR try_strptime(month || '-01', '%Y-%m-%d') IS NULL THEN coalesce(period_text, start_text)
         WHEN quantity IS NULL THEN quantity_text
         WHEN unblended IS NULL THEN unblended_text
         ELSE net_text END AS bad_value
FROM typed
