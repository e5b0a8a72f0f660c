-- policy_statements: one row per Allow statement of every resource policy set up to asOf (filled by
-- the snapshot from policy-puts, see PolicyStatements for the columns).
CREATE OR REPLACE TEMP TABLE policy_statements (event_id VARCHAR, arn VARCHAR, stmt INTEGER, sid VARCHAR,
    grantees VARCHAR[], actions VARCHAR[], org_restricted BOOLEAN, condition_accounts VARCHAR[], error VARCHAR)
