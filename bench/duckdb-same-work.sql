-- Baseline "the same work" (issue 16): DuckDB's read_json over the same files as analyze, Records
-- unnested, only the fields used declared as columns; keep the Secrets Manager records and compute, per
-- secret id and event name, the distinct event ids, the distinct caller ARNs and the latest event time.
-- {trail_glob} is replaced by the runner (DuckDbReadJson.java) with the quoted '<trail>/**/*.json.gz'.
-- The runner reads every row of the result; the clock stops after the last one.
SELECT r.requestParameters.secretId AS secret_id,
       r.eventName AS event_name,
       count(DISTINCT r.eventID) AS event_ids,
       count(DISTINCT r.userIdentity.arn) AS callers,
       max(CAST(r.eventTime AS TIMESTAMP)) AS latest
FROM (SELECT unnest(Records) AS r
      FROM read_json({trail_glob}, format = 'auto',
                     columns = {Records: 'STRUCT(eventID VARCHAR, eventSource VARCHAR, eventName VARCHAR, eventTime VARCHAR, userIdentity STRUCT(arn VARCHAR), requestParameters STRUCT(secretId VARCHAR))[]'},
                     maximum_object_size = 268435456))
WHERE r.eventSource = 'secretsmanager.amazonaws.com'
GROUP BY secret_id, event_name
