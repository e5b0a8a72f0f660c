-- Rewrites rollup_daily, rollup_hourly and rollup_own_calls with their partial rows summed (rollup_clients: see
-- rollup-clients-fold.sql).
CREATE OR REPLACE TEMP TABLE compacted AS
SELECT day, secret_key, principal, event_name, api_call, sum(calls)::BIGINT, sum(events)::BIGINT,
    sum(errors)::BIGINT, min(first_seen), max(last_seen)
FROM rollup_daily GROUP BY ALL;
DELETE FROM rollup_daily;
INSERT INTO rollup_daily SELECT * FROM compacted;
CREATE OR REPLACE TEMP TABLE compacted AS
SELECT hour, secret_key, event_name, sum(calls)::BIGINT, sum(errors)::BIGINT FROM rollup_hourly GROUP BY ALL;
DELETE FROM rollup_hourly;
INSERT INTO rollup_hourly SELECT * FROM compacted;
CREATE OR REPLACE TEMP TABLE compacted AS
SELECT day, secret_key, principal, event_name, sum(calls)::BIGINT, sum(errors)::BIGINT FROM rollup_own_calls GROUP BY ALL;
DELETE FROM rollup_own_calls;
INSERT INTO rollup_own_calls SELECT * FROM compacted;
