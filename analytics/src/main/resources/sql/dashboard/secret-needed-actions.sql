-- Joins the keymap view: per principal, the actions it used with success on a secret ($1).
-- SecretTrail's own calls count too, from rollup_own_calls (they are on no secret in rollup_daily).
-- $2 / $3: first and last day or null.
SELECT r.principal, list_sort(list_distinct(list('secretsmanager:' || r.event_name)))
FROM (SELECT day, secret_key, principal, event_name, calls, errors FROM rollup_daily WHERE api_call
      UNION ALL SELECT day, secret_key, principal, event_name, calls, errors FROM rollup_own_calls) r
JOIN keymap km ON km.key = r.secret_key
WHERE km.arn = $1 AND r.calls > r.errors AND r.principal <> ''
  AND ($2::DATE IS NULL OR r.day >= $2::DATE) AND ($3::DATE IS NULL OR r.day <= $3::DATE)
GROUP BY 1 ORDER BY 1
