-- The events exported as Parquet (table events): every stored event up to asOf that had arrived when the export
-- began, its columns projected. Never the raw record, request_filters, resource_policy or error_message: what a
-- caller sent is not ours to copy to a data lake, and a secret value never reaches the store at all. secrets is
-- every secret the event names, under its final key as the report resolves it (the snapshot's event_refs).
-- Parameters: $1 asOf, $2 the last arrival taken.
CREATE OR REPLACE TEMP TABLE export_events AS
SELECT e.event_id, e.event_time, CAST(e.event_time AS DATE) AS day, e.event_source, e.event_name, e.event_type,
    e.aws_region AS region, e.account_id AS account, e.error_code, e.principal, e.principal_type, e.session_arn,
    e.source_ip, e.user_agent, e.request_id, e.vpc_endpoint_id, e.names_secret, e.filter_batch,
    coalesce((SELECT list(DISTINCT r.arn ORDER BY r.arn) FROM event_refs r WHERE r.event_id = e.event_id),
        []::VARCHAR[]) AS secrets
FROM events e
WHERE e.event_time <= $1 AND e.arrival <= $2
