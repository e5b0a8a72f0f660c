-- V010: which accounts and regions an inventory covers, and when a listed secret left the listing.
-- inventory_coverage: one row per (account, region) an inventory covers: a complete ListSecrets listing of
-- it, or an inventory file listing an ARN of it. There, a name neither listed nor shown to exist by a
-- successful event does not exist; elsewhere nothing says whether it does.
CREATE TABLE IF NOT EXISTS inventory_coverage (
    account VARCHAR NOT NULL,
    region VARCHAR NOT NULL,
    source VARCHAR,
    PRIMARY KEY (account, region));

-- gone_at: when a tombstone said the secret left the listing (deleted for good). The row stays, so that a
-- closed month still bills and names the secret; its billed interval ends here. NULL while it is listed.
ALTER TABLE inventory ADD COLUMN gone_at TIMESTAMP;
