-- The cost months exported as Parquet (table cost_months), filled from the cost model's months (CostService):
-- one row per UTC month the trail spans, in exact decimals.
CREATE OR REPLACE TEMP TABLE export_cost_months (
    month VARCHAR NOT NULL,
    closed BOOLEAN NOT NULL,
    events BIGINT NOT NULL,
    secrets_usd DECIMAL(38, 20) NOT NULL,
    api_calls BIGINT NOT NULL,
    api_calls_usd DECIMAL(38, 20) NOT NULL,
    unattributed_calls BIGINT NOT NULL,
    unattributed_usd DECIMAL(38, 20) NOT NULL,
    kms_usd DECIMAL(38, 20),
    total_usd DECIMAL(38, 20) NOT NULL,
    projected_usd DECIMAL(38, 20))
