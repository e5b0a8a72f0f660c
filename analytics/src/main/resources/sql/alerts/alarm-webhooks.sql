-- The webhooks that hold a message of one alarm: the alarm itself ($1, its message id) or an escalation of it
-- ($1-<severity>), so that its clear goes where the alarm went, whatever the secret's team or tags are now.
SELECT DISTINCT webhook FROM webhook_outbox
WHERE message_id = $1 OR (starts_with(message_id, $1 || '-') AND message_id <> $1 || '-clear')
