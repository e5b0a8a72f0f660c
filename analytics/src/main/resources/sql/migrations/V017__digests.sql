-- V017: scheduled digests (digest.NAME.*). One row per digest, team and period that was sent: the once-per-period
-- record, written in the transaction that wrote the digest's outbox rows, so that a restart never sends a period
-- twice. period_start is the scheduled firing (UTC) the digest stands for.
CREATE TABLE IF NOT EXISTS digest_marks (
    digest VARCHAR NOT NULL,
    team VARCHAR NOT NULL,
    period_start TIMESTAMP NOT NULL,
    message_id VARCHAR NOT NULL,
    marked_at TIMESTAMP NOT NULL,
    PRIMARY KEY (digest, team, period_start)
);
