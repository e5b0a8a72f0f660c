-- replica-region-not-allowed: a primary secret has a replica in a region outside allowed_regions. Judged where
-- its inventory entry holds DescribeSecret's ReplicationStatus (the inventory source adds it to primaries it
-- describes, an empty list when none; a saved describe-secret output has it), a secret neither gone nor a replica.
WITH allowed AS (
    SELECT list_filter(list_transform(string_split(allowed_regions, ','), lambda r: trim(r)), lambda r: r <> '') AS regions
    FROM params
),
primaries AS (
    SELECT i.arn, i.account, i.region, i.deleted_date,
        list_sort(list_distinct(coalesce(json_extract_string(i.raw, '$.ReplicationStatus[*].Region'), []::VARCHAR[]))) AS replicas
    FROM inventory i, params p
    WHERE json_exists(i.raw, '$.ReplicationStatus')
      AND (i.primary_region IS NULL OR i.primary_region = i.region)
      AND (i.gone_at IS NULL OR i.gone_at > p.as_of)
),
judged AS (
    SELECT p.*, a.regions AS allowed,
        list_filter(p.replicas, lambda r: NOT list_contains(a.regions, r)) AS outside
    FROM primaries p, allowed a
)
SELECT j.arn AS resource,
    CASE WHEN len(j.allowed) = 0 OR j.deleted_date IS NOT NULL THEN 'skip'
         WHEN len(j.outside) > 0 THEN 'alarm' ELSE 'ok' END AS status,
    CASE WHEN len(j.allowed) = 0 THEN 'posture.allowedRegions is not set'
         WHEN j.deleted_date IS NOT NULL THEN 'scheduled for deletion on ' || strftime(j.deleted_date, '%Y-%m-%dT%H:%M:%SZ')
         WHEN len(j.outside) > 0
             THEN len(j.outside) || ' of ' || len(j.replicas) || ' replicas in regions not allowed: '
                  || array_to_string(j.outside, ', ') || ' (allowed: ' || array_to_string(j.allowed, ', ') || ')'
         WHEN len(j.replicas) = 0 THEN 'no replicas'
         ELSE 'all ' || len(j.replicas) || ' replicas are in allowed regions (' || array_to_string(j.replicas, ', ') || ')'
    END AS reason,
    j.account, j.region, f.first_seen, f.last_seen
FROM judged j LEFT JOIN secret_facts f ON f.arn = j.arn
