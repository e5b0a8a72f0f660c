-- The incidents exported as Parquet (table alerts): every detection's incidents as its evaluations left them,
-- first hit up to asOf, partitioned by the month of the first hit. state is the one the alerts recorded when they
-- saw the incident (open, closed), else the one the finding was stored with. Parameter: $1 asOf.
CREATE OR REPLACE TEMP TABLE export_alerts AS
SELECT r.incident, r.rule, json_extract_string(r.payload, '$.severity') AS severity,
    coalesce(i.state, json_extract_string(r.payload, '$.incident.state')) AS state,
    r.resource, r.principal, json_extract_string(r.payload, '$.account') AS account,
    json_extract_string(r.payload, '$.region') AS region, r.first_hit AS first_seen, r.last_hit AS last_seen,
    TRY_CAST(json_extract_string(r.payload, '$.incident.hits') AS BIGINT) AS hits,
    i.notified_at, i.closed_at, strftime(r.first_hit, '%Y-%m') AS month
FROM rule_incidents r LEFT JOIN incidents i ON i.incident = r.incident
WHERE r.first_hit <= $1
