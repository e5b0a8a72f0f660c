-- Events of the range. $1: account, $2: region, $3 / $4: first and last day (each null for any).
SELECT coalesce(sum(r.events), 0) FROM rollup_daily r
WHERE ($1::VARCHAR IS NULL OR split_part(r.secret_key, ':', 5) = $1) AND ($2::VARCHAR IS NULL OR split_part(r.secret_key, ':', 4) = $2)
  AND ($3::DATE IS NULL OR r.day >= $3::DATE) AND ($4::DATE IS NULL OR r.day <= $4::DATE)
