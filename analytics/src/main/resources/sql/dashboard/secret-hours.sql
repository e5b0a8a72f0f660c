-- Joins the keymap view: the first and last hour of a secret's ($1) calls.
SELECT min(r.hour), max(r.hour) FROM rollup_hourly r JOIN keymap km ON km.key = r.secret_key WHERE km.arn = $1
