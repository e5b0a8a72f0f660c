-- Every stored billed line up to the month of asOf, in a stable order.
SELECT source, file, month, account, region, service, usage_type, usage_kind, line_item_type, resource_id,
       quantity, unblended_usd, net_usd
FROM billed_lines
WHERE month <= ?
ORDER BY month, account, region, service, usage_kind, usage_type, line_item_type, resource_id, source, file
