INSERT INTO billed_lines (source, file, month, account, region, service, usage_type, usage_kind, line_item_type,
                          resource_id, quantity, unblended_usd, net_usd, read_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
