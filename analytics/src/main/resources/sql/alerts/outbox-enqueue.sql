-- One message for one webhook, pending and due at once: $9 is both when it was written and its first attempt.
INSERT INTO webhook_outbox
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'pending', 0, $9, NULL, NULL, NULL, NULL, NULL)
