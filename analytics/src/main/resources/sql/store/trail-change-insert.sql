-- A CloudTrail logging change; a copy of one already stored (same eventID) is ignored. Columns in table order
-- (V006, then V015's).
INSERT INTO trail_changes VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14,
    $15, $16, $17, $18, $19, $20, $21, $22)
ON CONFLICT (event_id) DO NOTHING
