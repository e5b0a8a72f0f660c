-- Of these candidate names (key, account, region, name as lists): those in the inventory (0) and
-- those with a pair stored before (1).
WITH c AS (SELECT unnest(?::VARCHAR[]) AS k, unnest(?::VARCHAR[]) AS a, unnest(?::VARCHAR[]) AS r, unnest(?::VARCHAR[]) AS n)
SELECT k, 0 FROM c WHERE k IN (SELECT arn FROM inventory)
    OR EXISTS (SELECT 1 FROM inventory i WHERE i.account = c.a AND i.region = c.r AND i.name = c.n)
UNION ALL
SELECT DISTINCT secret_key, 1 FROM event_secrets WHERE secret_key IN (SELECT k FROM c)
