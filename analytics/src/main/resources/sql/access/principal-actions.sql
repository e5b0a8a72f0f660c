-- The actions a principal used successfully, on which secret (NULL: none named), from the daily rollups
-- (whole UTC days). A (day, secret, principal, action) row with fewer errors than calls had at least one
-- successful call. SecretTrail's own calls count on no secret in rollup_daily and on theirs in rollup_own_calls: the
-- latter stand for the former. Parameters: $1 principal, $2 from, $3 to.
WITH daily AS (
    SELECT r.day, r.secret_key, r.event_name, r.calls, r.errors FROM rollup_daily r
    WHERE r.principal = $1 AND r.api_call
      AND NOT (r.secret_key = '' AND EXISTS (SELECT 1 FROM rollup_own_calls o
          WHERE o.principal = r.principal AND o.event_name = r.event_name AND o.day = r.day))
    UNION ALL
    SELECT o.day, o.secret_key, o.event_name, o.calls, o.errors FROM rollup_own_calls o WHERE o.principal = $1
)
SELECT r.event_name, CASE WHEN r.secret_key = '' THEN NULL ELSE km.arn END, bool_or(km.resolved)
FROM daily r JOIN keymap km ON km.key = r.secret_key
WHERE r.calls > r.errors AND r.day >= CAST($2 AS DATE) AND r.day <= CAST($3 AS DATE)
GROUP BY 1, 2
