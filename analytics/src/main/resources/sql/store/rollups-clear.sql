DELETE FROM rollup_daily;
DELETE FROM rollup_hourly;
DELETE FROM rollup_clients;
DELETE FROM rollup_own_calls;
DELETE FROM secret_keys;
DELETE FROM rollup_unknown_names;
