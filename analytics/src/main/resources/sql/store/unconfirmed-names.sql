-- The tracked keys that no inventory entry and no successful event confirm. "Confirms" is the same
-- condition as in rollups-tracked.sql (and NameTracker.confirms): any successful call but a
-- BatchGetSecretValue (which succeeds while naming ids that do not exist), and every service event.
SELECT k.secret_key, coalesce(k.account, ''), coalesce(k.region, '') FROM secret_keys k
WHERE k.secret_key NOT IN (SELECT arn FROM inventory)
  AND NOT EXISTS (SELECT 1 FROM inventory i WHERE i.account = k.account AND i.region = k.region AND i.name = k.name)
  AND k.secret_key NOT IN (SELECT s.secret_key FROM event_secrets s JOIN events e USING (event_id)
                           WHERE ((e.error_code IS NULL AND e.event_name <> 'BatchGetSecretValue') OR coalesce(e.event_type, '') <> 'AwsApiCall'))
