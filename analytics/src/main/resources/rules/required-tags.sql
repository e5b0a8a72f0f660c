-- required-tags: the inventory's Tags (ListSecrets' Tags, a JSON object of key to value) lack one of
-- posture.requiredTagKeys; the reason lists the missing keys in the setting's order.
WITH req AS (
    SELECT list_filter(list_transform(string_split(p.required_tag_keys, ','), lambda k: trim(k)), lambda k: k <> '') AS keys
    FROM params p
),
judged AS (
    SELECT f.*, req.keys,
        list_filter(req.keys, lambda k: NOT list_contains(coalesce(json_keys(i.tags), []::VARCHAR[]), k)) AS missing
    FROM secret_facts f
    LEFT JOIN inventory i ON i.arn = f.arn, req
)
SELECT arn AS resource,
    CASE WHEN len(keys) = 0 OR NOT in_inventory OR is_replica OR deleted_date IS NOT NULL THEN 'skip'
         WHEN len(missing) > 0 THEN 'alarm'
         ELSE 'ok' END AS status,
    CASE WHEN len(keys) = 0 THEN 'not required: posture.requiredTagKeys is empty'
         WHEN NOT in_inventory THEN 'not in the inventory, so its tags are unknown'
         WHEN is_replica THEN 'a replica of ' || primary_arn || ', which carries its primary''s tags'
         WHEN deleted_date IS NOT NULL THEN 'scheduled for deletion on ' || strftime(deleted_date, '%Y-%m-%dT%H:%M:%SZ')
         WHEN len(missing) > 0
             THEN 'missing ' || len(missing) || ' of the ' || len(keys) || ' required tags: ' || array_to_string(missing, ', ')
                  || coalesce('; ' || managed_by, '')
         ELSE 'has the ' || len(keys) || ' required tags' || coalesce('; ' || managed_by, '') END AS reason,
    account, region, first_seen, last_seen
FROM judged
