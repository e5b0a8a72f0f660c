-- For a rebuild: the distinct user agents of the events that would be SecretTrail's own if their user agent carried
-- its marker (see OwnCalls.owns). $1: the principals, $2: the actions (JSON arrays).
SELECT DISTINCT user_agent FROM events
WHERE list_contains($1::JSON::VARCHAR[], principal) AND list_contains($2::JSON::VARCHAR[], event_name)
  AND principal_type IS DISTINCT FROM 'AWSAccount' AND user_agent IS NOT NULL
