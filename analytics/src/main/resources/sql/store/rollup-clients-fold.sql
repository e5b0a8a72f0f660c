-- rollup_clients summed, keeping the top $1 clients per (secret, principal) by calls; the rest in one
-- "others" row (source IP and user agent '', others = how many clients it holds). Into a temp table:
-- rollup-clients-replace.sql swaps it in.
CREATE OR REPLACE TEMP TABLE compacted AS
WITH summed AS (
    SELECT secret_key, principal, source_ip, user_agent, coalesce(others, 0) > 0 AS folded,
        sum(calls)::BIGINT AS calls, sum(errors)::BIGINT AS errors, min(first_seen) AS first_seen,
        max(last_seen) AS last_seen, sum(coalesce(others, 0))::BIGINT AS others
    FROM rollup_clients GROUP BY secret_key, principal, source_ip, user_agent, folded
),
ranked AS (
    SELECT *, row_number() OVER (PARTITION BY secret_key, principal
                                 ORDER BY folded, calls DESC, source_ip, user_agent) AS rank
    FROM summed
)
SELECT secret_key, principal, source_ip, user_agent, calls, errors, first_seen, last_seen, 0::BIGINT AS others
FROM ranked WHERE NOT folded AND rank <= $1
UNION ALL
SELECT secret_key, principal, '', '', sum(calls)::BIGINT, sum(errors)::BIGINT, min(first_seen), max(last_seen),
    sum(CASE WHEN folded THEN others ELSE 1 END)::BIGINT
FROM ranked WHERE folded OR rank > $1 GROUP BY secret_key, principal
