-- A KMS request made for a secret; a copy of one already stored (same eventID) is ignored.
INSERT INTO kms_requests VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
ON CONFLICT (event_id) DO NOTHING
