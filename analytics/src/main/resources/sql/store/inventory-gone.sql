-- A tombstone: the secret ($2) left the listing at $1. The row stays; the first such time is kept.
UPDATE inventory SET gone_at = coalesce(gone_at, $1) WHERE arn = $2
