-- Baseline "count only" (kept from the first benchmark): DuckDB's read_json over every gzip file of a
-- trail, Records unnested, counting records and distinct Secrets Manager eventIDs.
-- {trail_glob} is replaced by the runner (DuckDbReadJson.java) with the quoted '<trail>/**/*.json.gz'.
SELECT count(*) AS records,
       count(DISTINCT r.eventID) FILTER (WHERE r.eventSource = 'secretsmanager.amazonaws.com') AS event_ids
FROM (SELECT unnest(Records) AS r
      FROM read_json({trail_glob}, format = 'auto',
                     columns = {Records: 'STRUCT(eventID VARCHAR, eventSource VARCHAR, eventName VARCHAR, eventTime VARCHAR)[]'},
                     maximum_object_size = 268435456))
