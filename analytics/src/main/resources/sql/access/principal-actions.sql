-- The actions a principal used successfully, on which secret (NULL: none named), from the daily rollups
-- (whole UTC days). A (day, secret, principal, action) row with fewer errors than calls had at least one
-- successful call. Parameters: principal, from, to.
SELECT r.event_name, CASE WHEN r.secret_key = '' THEN NULL ELSE km.arn END, bool_or(km.resolved)
FROM rollup_daily r JOIN keymap km ON km.key = r.secret_key
WHERE r.principal = ? AND r.api_call AND r.calls > r.errors
  AND r.day >= CAST(? AS DATE) AND r.day <= CAST(? AS DATE)
GROUP BY 1, 2
