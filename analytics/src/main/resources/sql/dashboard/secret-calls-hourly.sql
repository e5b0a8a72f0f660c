-- Joins the keymap view: a secret's ($1) calls per hour and event name. $2 / $3: first and last day or null.
SELECT strftime(r.hour, '%Y-%m-%dT%H:00Z'), r.event_name, sum(r.calls) FROM rollup_hourly r JOIN keymap km ON km.key = r.secret_key
WHERE km.arn = $1 AND ($2::DATE IS NULL OR CAST(r.hour AS DATE) >= $2::DATE) AND ($3::DATE IS NULL OR CAST(r.hour AS DATE) <= $3::DATE)
GROUP BY ALL ORDER BY 1, 2
