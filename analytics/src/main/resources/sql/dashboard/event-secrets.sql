-- Joins the keymap view: every secret events name (resolved ARN), whatever the day; a secret only SecretTrail's own
-- calls name is in rollup_own_calls alone (rollup_daily counts those calls on no secret).
SELECT DISTINCT km.arn FROM rollup_daily r JOIN keymap km ON km.key = r.secret_key WHERE r.secret_key <> ''
UNION
SELECT DISTINCT km.arn FROM rollup_own_calls o JOIN keymap km ON km.key = o.secret_key
