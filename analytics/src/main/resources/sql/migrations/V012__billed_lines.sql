-- V012: AWS's own billing data for Secrets Manager and KMS (Cost and Usage Report exports, Cost Explorer),
-- normalised, so that the report and the dashboard can set it beside what SecretTrail computes. One row per
-- (source, file, month, account, region, usage type, line item type, resource) with the summed amounts.
-- A read of an export replaces the rows of the same source and months: CUR exports are rewritten in place
-- while a month is open.
CREATE TABLE IF NOT EXISTS billed_lines (
    source VARCHAR NOT NULL,        -- cur2 | cur-legacy | cost-explorer
    file VARCHAR NOT NULL,          -- the export file, relative to what was read; GetCostAndUsage for Cost Explorer
    month VARCHAR NOT NULL,         -- YYYY-MM, the billing period
    account VARCHAR,
    region VARCHAR,
    service VARCHAR NOT NULL,       -- secretsmanager | kms
    usage_type VARCHAR,
    usage_kind VARCHAR,             -- secrets | api-requests | kms-requests | kms-keys; NULL: not reconciled
    line_item_type VARCHAR NOT NULL, -- Usage, Credit, Refund, Tax, Discount...
    resource_id VARCHAR,
    quantity DECIMAL(38, 10) NOT NULL,
    unblended_usd DECIMAL(38, 10) NOT NULL,
    net_usd DECIMAL(38, 10),         -- NULL where the data has no net column
    read_at TIMESTAMP NOT NULL);
