SELECT webhook, status, count(*) FROM webhook_outbox GROUP BY ALL
