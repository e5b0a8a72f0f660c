-- Joins the keymap view: principals with the secrets they touched, calls, errors, first and last seen.
-- $1: text in the principal (case-insensitive), $2: account, $3: region, $4 / $5: first and last day,
-- $6: the team's ARNs as a JSON array (each null for any).
SELECT r.principal, count(DISTINCT km.arn) FILTER (WHERE km.arn <> ''), sum(r.calls), sum(r.errors),
    min(r.first_seen), max(r.last_seen)
FROM rollup_daily r JOIN keymap km ON km.key = r.secret_key
WHERE r.principal <> '' AND ($1::VARCHAR IS NULL OR contains(lower(r.principal), lower($1)))
  AND ($2::VARCHAR IS NULL OR split_part(km.arn, ':', 5) = $2) AND ($3::VARCHAR IS NULL OR split_part(km.arn, ':', 4) = $3)
  AND ($4::DATE IS NULL OR r.day >= $4::DATE) AND ($5::DATE IS NULL OR r.day <= $5::DATE)
  AND ($6::VARCHAR IS NULL OR km.arn IN (SELECT unnest($6::JSON::VARCHAR[])))
GROUP BY 1 ORDER BY 3 DESC, 1
