-- budget_lines: the open month's projected cost per line (all accounts, each account, each tag key=value) beside
-- the last closed month's total, as the cost model computed them for this report: what the budget rule judges.
-- Made by the cost model on the report's connection after it computed the months, never by the snapshot.
CREATE OR REPLACE TEMP TABLE budget_lines (
    dimension VARCHAR NOT NULL,   -- 'total', 'account' or 'tag'
    key VARCHAR NOT NULL,         -- 'all', the account id, or the tag as key=value
    open_month VARCHAR NOT NULL,  -- 'YYYY-MM'
    month_start TIMESTAMP NOT NULL,
    projected_usd DECIMAL(38, 10) NOT NULL,
    last_month VARCHAR,           -- the closed month before it; NULL when the data holds none
    last_usd DECIMAL(38, 10)
)
