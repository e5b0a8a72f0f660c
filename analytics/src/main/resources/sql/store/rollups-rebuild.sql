-- Every rollup from the stored events and the temp table tracked (rollups-tracked.sql): the same
-- rows the incremental rollups write batch by batch. Clients are folded afterwards. SecretTrail's own calls
-- (own_calls, own-calls.sql) count once each on the row of no secret in the daily and hourly rollups, and
-- per secret in the clients and rollup_own_calls.
INSERT INTO secret_keys
SELECT secret_key, resolved, account, region, name FROM tracked WHERE kept;
CREATE OR REPLACE TEMP TABLE pairs AS
SELECT e.event_time, e.event_id, CASE WHEN t.kept THEN s.secret_key ELSE '' END AS secret_key,
    coalesce(NOT t.kept, false) AS untracked, s.secret_key AS name_key,
    coalesce(s.account, '') AS account, coalesce(s.region, '') AS region,
    coalesce(e.principal, '') AS principal,
    e.event_name, coalesce(e.event_type = 'AwsApiCall', false) AS api_call, e.error_code IS NOT NULL AS failed,
    coalesce(e.source_ip, '') AS source_ip, coalesce(e.user_agent, '') AS user_agent,
    s.secret_key IS NULL OR row_number() OVER (PARTITION BY e.event_id ORDER BY s.secret_key) = 1 AS first,
    e.event_id IN (SELECT event_id FROM own_calls) AS own
FROM events e LEFT JOIN event_secrets s USING (event_id) LEFT JOIN tracked t ON t.secret_key = s.secret_key;
INSERT INTO rollup_daily
SELECT CAST(event_time AS DATE), CASE WHEN own THEN '' ELSE secret_key END, principal, event_name, api_call,
    count(*) FILTER (WHERE NOT untracked), count(*) FILTER (WHERE first),
    count(*) FILTER (WHERE failed AND NOT untracked), min(event_time), max(event_time)
FROM pairs WHERE first OR NOT (untracked OR own) GROUP BY ALL;
INSERT INTO rollup_hourly
SELECT date_trunc('hour', event_time), CASE WHEN own THEN '' ELSE secret_key END, event_name, count(*),
    count(*) FILTER (WHERE failed)
FROM pairs WHERE NOT untracked AND (first OR NOT own) GROUP BY ALL;
INSERT INTO rollup_own_calls
SELECT CAST(event_time AS DATE), secret_key, principal, event_name, count(*), count(*) FILTER (WHERE failed)
FROM pairs WHERE own AND NOT untracked AND secret_key <> '' GROUP BY ALL;
INSERT INTO rollup_clients
SELECT secret_key, principal, source_ip, user_agent, count(*), count(*) FILTER (WHERE failed),
    min(event_time), max(event_time), 0
FROM pairs WHERE NOT untracked GROUP BY secret_key, principal, source_ip, user_agent;
INSERT INTO rollup_unknown_names
SELECT CAST(event_time AS DATE), account, region, principal, count(*), count(*) FILTER (WHERE first_of_name),
    min(event_time), max(event_time)
FROM (SELECT *, row_number() OVER (PARTITION BY name_key ORDER BY event_time, event_id) = 1 AS first_of_name
      FROM pairs WHERE untracked)
GROUP BY ALL;
DROP TABLE pairs;
DROP TABLE tracked;
DROP TABLE own_calls;
DROP TABLE own_agents;
