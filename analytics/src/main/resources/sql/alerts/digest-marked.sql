-- Whether a digest was already sent to a team for the period that began at $3 (UTC).
SELECT count(*) FROM digest_marks WHERE digest = $1 AND team = $2 AND period_start = $3
