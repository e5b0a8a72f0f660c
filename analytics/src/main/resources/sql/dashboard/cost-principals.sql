-- The Cost page under an account, region or team filter: per UTC month ('YYYY-MM'), principal ('unknown' when
-- the event names none) and region (whose call price bills them), the API calls made in that account and region up
-- to asOf and, under a team, naming one of its secrets (a call naming secrets of two teams counts for each). The
-- GetSecretValue entries a batch generated cannot be told apart here (that match is the report's snapshot's), so
-- they count too.
-- The last column is the user agent of a call that is SecretTrail's own if it carries the marker (OwnCalls.owns:
-- the caller, which tries the marker, bills those to the line 'secrettrail', or, under a team, to none), else null.
-- $1: asOf, $2: account, $3: region, $4: the team's ARNs as a JSON array (each null for any); $5 / $6: the
-- principals and actions of SecretTrail's own calls (JSON arrays).
SELECT strftime(event_time, '%Y-%m') AS month, coalesce(principal, 'unknown') AS principal, aws_region, count(*),
    CASE WHEN list_contains($5::JSON::VARCHAR[], principal) AND list_contains($6::JSON::VARCHAR[], event_name)
        AND principal_type IS DISTINCT FROM 'AWSAccount' THEN user_agent END AS own_agent
FROM events
WHERE event_type = 'AwsApiCall' AND event_time <= $1
  AND ($2::VARCHAR IS NULL OR account_id = $2) AND ($3::VARCHAR IS NULL OR aws_region = $3)
  AND ($4::VARCHAR IS NULL OR event_id IN (
      SELECT es.event_id FROM event_secrets es JOIN keymap_all km ON km.key = es.secret_key
      WHERE es.event_time <= $1 AND km.arn IN (SELECT unnest($4::JSON::VARCHAR[]))))
GROUP BY ALL
