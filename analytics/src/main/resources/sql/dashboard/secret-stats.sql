-- Joins the keymap view: per secret (resolved ARN), the range's calls, errors, principals and last read.
-- $1: one ARN or null for all, $2 / $3: first and last day or null.
SELECT km.arn, sum(r.calls), sum(r.errors), count(DISTINCT r.principal) FILTER (WHERE r.api_call AND r.principal <> ''),
    max(r.last_seen) FILTER (WHERE r.event_name IN ('GetSecretValue', 'BatchGetSecretValue') AND r.calls > r.errors)
FROM rollup_daily r JOIN keymap km ON km.key = r.secret_key
WHERE r.secret_key <> '' AND ($1::VARCHAR IS NULL OR km.arn = $1)
  AND ($2::DATE IS NULL OR r.day >= $2::DATE) AND ($3::DATE IS NULL OR r.day <= $3::DATE)
GROUP BY km.arn
