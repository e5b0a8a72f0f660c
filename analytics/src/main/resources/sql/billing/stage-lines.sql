-- The good Secrets Manager and KMS line items of the staged export (see stage-items), summed per billing period, account, region, usage type,
-- line item type and resource.
SELECT month, account, region, product_code, usage_type, line_item_type, resource_id,
       sum(quantity), sum(unblended), CASE WHEN count(net) = count(*) THEN sum(net) END
FROM cur_items
WHERE product_code IN (?, ?) AND bad_column IS NULL
GROUP BY month, account, region, product_code, usage_type, line_item_type, resource_id
ORDER BY month, account, region, product_code, usage_type, line_item_type, resource_id
