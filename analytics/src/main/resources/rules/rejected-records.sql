-- rejected-records: >= rejected_records rejected records that were (or may have been: their
-- eventSource could not be read) Secrets Manager events, from one source, rejected within
-- rejected_window_hours before as_of. A rejection's time is when it was rejected, so a report on a
-- past as_of also counts those rejected after it: the ones of the run that builds it. Each dead
-- letter counts once (a copy published twice has the same key). One finding per source.
WITH rejected AS (
    SELECT DISTINCT ON (dead_letter_key) dead_letter_key, source, file, rejected_at, secrets_manager
    FROM rejections
    WHERE secrets_manager IS NOT FALSE
      AND rejected_at > (SELECT as_of - to_hours(rejected_window_hours) FROM params)
    ORDER BY dead_letter_key, rejected_at
),
by_source AS (
    SELECT source, count(*) AS n, count(*) FILTER (WHERE secrets_manager) AS known, count(DISTINCT coalesce(file, '')) AS files,
        min(rejected_at) AS first_seen, max(rejected_at) AS last_seen
    FROM rejected GROUP BY source
),
by_file AS (
    SELECT source, coalesce(file, 'unknown file') AS file, count(*) AS n,
        row_number() OVER (PARTITION BY source ORDER BY count(*) DESC, coalesce(file, 'unknown file')) AS rank
    FROM rejected GROUP BY source, file
),
top_files AS (
    SELECT source, string_agg(file || ' (' || n || ')', ', ' ORDER BY n DESC, file) AS list
    FROM by_file WHERE rank <= 5 GROUP BY source
)
SELECT s.source AS resource, 'alarm' AS status,
    s.n || ' rejected records that were' || CASE WHEN s.known < s.n THEN ' or may have been' ELSE '' END
        || ' Secrets Manager events, from ' || s.source || ' in ' || s.files || CASE WHEN s.files = 1 THEN ' file' ELSE ' files' END
        || ' (threshold: ' || p.rejected_records || ' within ' || p.rejected_window_hours || ' hours); most in: ' || t.list AS reason,
    NULL::VARCHAR AS account, NULL::VARCHAR AS region, s.first_seen, s.last_seen,
    s.first_seen AS window_start, s.last_seen AS window_end,
    {'rejected': s.n, 'secretsManager': s.known, 'files': s.files} AS counts
FROM by_source s JOIN top_files t USING (source), params p
WHERE s.n >= p.rejected_records
