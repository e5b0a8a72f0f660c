-- A known incident as the latest evaluation sees it: last hit, severity, state, closed at (kept once set), payload.
UPDATE incidents SET last_hit = $2, severity = $3, state = $4, closed_at = coalesce(closed_at, $5), payload = $6
WHERE incident = $1
