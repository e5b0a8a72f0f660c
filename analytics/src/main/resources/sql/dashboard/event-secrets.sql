-- Joins the keymap view: every secret events name (resolved ARN), whatever the day.
SELECT DISTINCT km.arn FROM rollup_daily r JOIN keymap km ON km.key = r.secret_key WHERE r.secret_key <> ''
