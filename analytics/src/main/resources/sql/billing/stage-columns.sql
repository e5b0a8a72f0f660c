-- The columns of the staged export file, by name.
SELECT column_name FROM (DESCRIBE cur_raw)
