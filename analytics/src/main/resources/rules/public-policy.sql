-- public-policy: the secret's current resource policy (the latest of its successful PutResourcePolicy,
-- DeleteResourcePolicy and its policy read with GetResourcePolicy or from a saved output) has an Allow statement that grants everyone, or an
-- account outside the trusted ones (the secret's own and org_accounts), without a condition that
-- restricts callers to the organisation, a VPC or trusted accounts. Statements are read by
-- PolicyStatements into policy_statements. The current policy (resource_policies: GetResourcePolicy read by
-- asOf, or a saved output, which counts as read at asOf) wins over an event at the same time; a secret read
-- without one reads as a deleted policy. Its reason says where it was read (o.read), and it cites no event.
WITH changes AS (
    SELECT r.arn, e.event_id, e.event_time AS set_at, e.event_name, e.principal, 0 AS prio
    FROM events e JOIN event_refs r USING (event_id)
    WHERE e.event_time <= (SELECT as_of FROM params) AND e.error_code IS NULL
      AND e.event_name IN ('PutResourcePolicy', 'DeleteResourcePolicy')
    UNION ALL
    SELECT arn, 'current:' || arn, coalesce(read_at, as_of),
        CASE WHEN policy IS NULL THEN 'NoResourcePolicy' ELSE 'GetResourcePolicy' END, NULL, 1
    FROM resource_policies, params
    WHERE read_at IS NULL OR read_at <= as_of
),
latest AS (
    SELECT arn, event_id, set_at, event_name, principal FROM changes
    QUALIFY row_number() OVER (PARTITION BY arn ORDER BY set_at DESC, prio DESC, event_id DESC) = 1
),
trusted AS (
    SELECT list_filter(list_transform(string_split(org_accounts, ','), lambda a: trim(a)), lambda a: a <> '') AS accounts
    FROM params
),
statements AS (
    SELECT l.arn, s.stmt, s.actions, s.error,
        CASE WHEN s.org_restricted THEN []::VARCHAR[]
             ELSE list_filter(
                 CASE WHEN s.condition_accounts IS NULL THEN s.grantees
                      WHEN list_contains(s.grantees, '*') THEN s.condition_accounts
                      WHEN list_contains(s.condition_accounts, '*') THEN s.grantees
                      ELSE list_intersect(s.grantees, s.condition_accounts) END,
                 lambda g: g <> account_of(l.arn) AND NOT list_contains(t.accounts, g)) END AS outsiders
    FROM latest l JOIN policy_statements s ON s.event_id = l.event_id AND s.arn = l.arn, trusted t
    WHERE l.event_name IN ('PutResourcePolicy', 'GetResourcePolicy')
),
per_secret AS (
    SELECT arn,
        max(error) AS error,
        list_sort(list_distinct(flatten(list(outsiders)))) AS outsiders,
        list_sort(list_distinct(flatten(list(actions) FILTER (WHERE len(outsiders) > 0)))) AS actions,
        count(*) FILTER (WHERE len(outsiders) > 0) AS open_statements
    FROM statements GROUP BY arn
)
SELECT l.arn AS resource, l.principal,
    CASE WHEN l.event_name IN ('DeleteResourcePolicy', 'NoResourcePolicy') THEN 'ok'
         WHEN s.error IS NOT NULL THEN 'skip'
         WHEN len(s.outsiders) > 0 THEN 'alarm' ELSE 'ok' END AS status,
    CASE WHEN l.event_name = 'DeleteResourcePolicy'
             THEN 'the resource policy was deleted by ' || coalesce(l.principal, 'an unknown caller') || ' at ' || strftime(l.set_at, '%Y-%m-%dT%H:%M:%SZ')
         WHEN l.event_name = 'NoResourcePolicy'
             THEN 'the secret has no resource policy (' || o.read || ')'
         WHEN s.error IS NOT NULL THEN 'the resource policy could not be read: ' || s.error
         WHEN len(s.outsiders) > 0
             THEN CASE WHEN l.event_name = 'GetResourcePolicy' THEN 'the current resource policy (' || o.read || ')'
                       ELSE 'the resource policy set by ' || coalesce(l.principal, 'an unknown caller') || ' at ' || strftime(l.set_at, '%Y-%m-%dT%H:%M:%SZ') END
                  || ' grants ' || array_to_string(s.actions, ', ') || ' to '
                  || CASE WHEN list_contains(s.outsiders, '*') THEN 'everyone ("Principal": "*")'
                          ELSE array_to_string(s.outsiders, ', ') || ', outside the trusted accounts' END
                  || ' with no condition restricting callers to the organisation, a VPC or trusted accounts'
         WHEN l.event_name = 'GetResourcePolicy'
             THEN 'the current resource policy (' || o.read || ') grants only trusted accounts, or restricts callers by condition'
         ELSE 'the resource policy grants only trusted accounts, or restricts callers by condition' END AS reason,
    account_of(l.arn) AS account, split_part(l.arn, ':', 4) AS region,
    l.set_at AS first_seen, l.set_at AS last_seen, l.set_at AS window_start, l.set_at AS window_end,
    {'openStatements': coalesce(s.open_statements, 0)} AS counts,
    CASE WHEN l.event_id LIKE 'current:%' THEN []::VARCHAR[] ELSE [l.event_id] END AS event_ids
FROM latest l LEFT JOIN per_secret s USING (arn)
    LEFT JOIN (SELECT arn, CASE WHEN read_at IS NULL THEN 'from the saved get-resource-policy output ' || origin
                                ELSE 'read with GetResourcePolicy at ' || strftime(read_at, '%Y-%m-%dT%H:%M:%SZ') END AS read
               FROM resource_policies) o USING (arn)
