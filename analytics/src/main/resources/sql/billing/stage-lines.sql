-- The Secrets Manager and KMS line items of the staged export (columns renamed to the CUR 2.0 names, absent optional
-- ones added as NULL), summed per billing period, account, region, usage type, line item type and resource.
-- Amounts go through text so that a Parquet DOUBLE keeps the digits AWS wrote (0.4, not 0.40000000000000002).
-- The region: the product's region code, else the legacy product region, else the region of the resource ARN.
WITH items AS (
    SELECT
        substr(coalesce(nullif(CAST(bill_billing_period_start_date AS VARCHAR), ''),
                        CAST(line_item_usage_start_date AS VARCHAR)), 1, 7) AS month,
        nullif(CAST(line_item_usage_account_id AS VARCHAR), '') AS account,
        coalesce(nullif(CAST(product_region_code AS VARCHAR), ''), nullif(CAST(product_region AS VARCHAR), ''),
                 CASE WHEN CAST(line_item_resource_id AS VARCHAR) LIKE 'arn:%'
                      THEN nullif(split_part(CAST(line_item_resource_id AS VARCHAR), ':', 4), '') END) AS region,
        CAST(line_item_product_code AS VARCHAR) AS product_code,
        CAST(line_item_usage_type AS VARCHAR) AS usage_type,
        CAST(line_item_line_item_type AS VARCHAR) AS line_item_type,
        nullif(CAST(line_item_resource_id AS VARCHAR), '') AS resource_id,
        CAST(coalesce(nullif(CAST(line_item_usage_amount AS VARCHAR), ''), '0') AS DECIMAL(38, 10)) AS quantity,
        CAST(coalesce(nullif(CAST(line_item_unblended_cost AS VARCHAR), ''), '0') AS DECIMAL(38, 10)) AS unblended,
        CAST(nullif(CAST(line_item_net_unblended_cost AS VARCHAR), '') AS DECIMAL(38, 10)) AS net
    FROM cur_raw
    WHERE CAST(line_item_product_code AS VARCHAR) IN (?, ?))
SELECT month, account, region, product_code, usage_type, line_item_type, resource_id,
       sum(quantity), sum(unblended), CASE WHEN count(net) = count(*) THEN sum(net) END
FROM items
GROUP BY month, account, region, product_code, usage_type, line_item_type, resource_id
ORDER BY month, account, region, product_code, usage_type, line_item_type, resource_id
