-- Joins the keymap view: the access ledger per (secret, principal) from rollup_clients; the top $8
-- clients by calls are listed, the rest (and the others rows of compaction) counted.
-- $1: secret, $2: principal, $3: account, $4: region (each null for any); $5 / $6: first and last day,
-- $7: the team's ARNs (JSON array; null for any team).
WITH clients AS (
    SELECT km.arn, r.principal, r.source_ip, r.user_agent, coalesce(r.others, 0) > 0 AS folded,
        sum(r.calls) AS calls, sum(r.errors) AS errors, min(r.first_seen) AS first_seen, max(r.last_seen) AS last_seen,
        sum(coalesce(r.others, 0)) AS others
    FROM rollup_clients r JOIN keymap km ON km.key = r.secret_key
    WHERE r.secret_key <> '' AND r.principal <> '' AND ($1::VARCHAR IS NULL OR km.arn = $1) AND ($2::VARCHAR IS NULL OR r.principal = $2)
      AND ($3::VARCHAR IS NULL OR split_part(km.arn, ':', 5) = $3) AND ($4::VARCHAR IS NULL OR split_part(km.arn, ':', 4) = $4)
      AND ($5::DATE IS NULL OR CAST(r.last_seen AS DATE) >= $5::DATE) AND ($6::DATE IS NULL OR CAST(r.first_seen AS DATE) <= $6::DATE)
      AND ($7::VARCHAR IS NULL OR km.arn IN (SELECT unnest($7::JSON::VARCHAR[])))
    GROUP BY km.arn, r.principal, r.source_ip, r.user_agent, folded
),
ranked AS (
    SELECT *, NOT folded AND row_number() OVER (PARTITION BY arn, principal
        ORDER BY folded, calls DESC, source_ip, user_agent) <= $8 AS top
    FROM clients
)
SELECT arn, principal, sum(calls), sum(errors), min(first_seen), max(last_seen),
    list_sort(list_distinct(list(source_ip) FILTER (WHERE top AND source_ip <> ''))),
    list_sort(list_distinct(list(user_agent) FILTER (WHERE top AND user_agent <> ''))),
    coalesce(sum(CASE WHEN folded THEN others ELSE 1 END) FILTER (WHERE NOT top), 0),
    coalesce(sum(calls) FILTER (WHERE NOT top), 0)
FROM ranked GROUP BY arn, principal ORDER BY 1, 2
