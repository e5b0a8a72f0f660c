-- public-policy: the secret's current resource policy (its latest successful PutResourcePolicy,
-- unless a DeleteResourcePolicy came after) has an Allow statement that grants everyone, or an
-- account outside the trusted ones (the secret's own and org_accounts), without a condition that
-- restricts callers to the organisation, a VPC or trusted accounts. Statements are read by
-- PolicyStatements into policy_statements.
WITH changes AS (
    SELECT r.arn, e.event_id, e.event_time, e.event_name, e.principal
    FROM events e JOIN event_refs r USING (event_id)
    WHERE e.event_time <= (SELECT as_of FROM params) AND e.error_code IS NULL
      AND e.event_name IN ('PutResourcePolicy', 'DeleteResourcePolicy')
),
latest AS (
    SELECT arn, arg_max(event_id, event_time) AS event_id, max(event_time) AS at,
        arg_max(event_name, event_time) AS event_name, arg_max(principal, event_time) AS principal
    FROM changes GROUP BY arn
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
    WHERE l.event_name = 'PutResourcePolicy'
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
    CASE WHEN l.event_name = 'DeleteResourcePolicy' THEN 'ok'
         WHEN s.error IS NOT NULL THEN 'skip'
         WHEN len(s.outsiders) > 0 THEN 'alarm' ELSE 'ok' END AS status,
    CASE WHEN l.event_name = 'DeleteResourcePolicy'
             THEN 'the resource policy was deleted by ' || coalesce(l.principal, 'an unknown caller') || ' at ' || strftime(l.at, '%Y-%m-%dT%H:%M:%SZ')
         WHEN s.error IS NOT NULL THEN 'the resource policy could not be read: ' || s.error
         WHEN len(s.outsiders) > 0
             THEN 'the resource policy set by ' || coalesce(l.principal, 'an unknown caller') || ' at ' || strftime(l.at, '%Y-%m-%dT%H:%M:%SZ')
                  || ' grants ' || array_to_string(s.actions, ', ') || ' to '
                  || CASE WHEN list_contains(s.outsiders, '*') THEN 'everyone ("Principal": "*")'
                          ELSE array_to_string(s.outsiders, ', ') || ', outside the trusted accounts' END
                  || ' with no condition restricting callers to the organisation, a VPC or trusted accounts'
         ELSE 'the resource policy grants only trusted accounts, or restricts callers by condition' END AS reason,
    account_of(l.arn) AS account, split_part(l.arn, ':', 4) AS region,
    l.at AS first_seen, l.at AS last_seen, l.at AS window_start, l.at AS window_end,
    {'openStatements': coalesce(s.open_statements, 0)} AS counts, [l.event_id] AS event_ids
FROM latest l LEFT JOIN per_secret s USING (arn)
