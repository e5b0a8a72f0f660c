-- Joins the keymap view: a secret's ($1) rotation events ($2: their names) per hour.
SELECT strftime(r.hour, '%Y-%m-%dT%H:00Z'), r.event_name, sum(r.calls) FROM rollup_hourly r JOIN keymap km ON km.key = r.secret_key
WHERE km.arn = $1 AND list_contains($2::VARCHAR[], r.event_name) GROUP BY ALL ORDER BY 1, 2
