-- The Secrets Manager and KMS line items of the staged export that cannot be used, by row (1 = the first data row), with the column at fault.
SELECT cur_row, bad_column, bad_value FROM cur_items WHERE product_code IN (?, ?) AND bad_column IS NOT NULL ORDER BY cur_row
