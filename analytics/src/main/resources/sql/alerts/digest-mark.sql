-- The once-per-period record of a digest sent: written with its outbox row, in one transaction.
INSERT INTO digest_marks VALUES ($1, $2, $3, $4, $5)
