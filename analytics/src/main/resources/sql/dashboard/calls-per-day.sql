-- Calls per day and event name. Every secret key is an ARN, full or partial: its account and
-- region are in it, so these totals need no key resolution; a team's secrets are found through keymap.
-- $1: account, $2: region, $3 / $4: first and last day, $5: the team's ARNs as a JSON array (each null for any).
SELECT r.day, r.event_name, sum(r.calls) FROM rollup_daily r
WHERE ($1::VARCHAR IS NULL OR split_part(r.secret_key, ':', 5) = $1) AND ($2::VARCHAR IS NULL OR split_part(r.secret_key, ':', 4) = $2)
  AND ($3::DATE IS NULL OR r.day >= $3::DATE) AND ($4::DATE IS NULL OR r.day <= $4::DATE)
  AND ($5::VARCHAR IS NULL OR r.secret_key IN (SELECT key FROM keymap WHERE arn IN (SELECT unnest($5::JSON::VARCHAR[]))))
GROUP BY ALL ORDER BY 1, 2
