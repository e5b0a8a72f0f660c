-- self_calls (event_id): SecretTrail's own calls up to asOf, which counts, cost attribution and caller detections
-- leave out (see SelfCalls): a principal of self.principals AND SecretTrail's marker in the user agent (caller kind
-- secrettrail) AND one of the actions SecretTrail calls. The marker alone labels a call, never leaves it out.
-- A call whose userIdentity names only the caller's account (type AWSAccount, keyed as that account's root) is never
-- SecretTrail's own: that key stands for every identity of the account, and any of them may send the marker.
-- Parameters: $1 asOf, $2 the principals (JSON array), $3 the actions (JSON array), $4 the kind.
CREATE OR REPLACE TEMP TABLE self_calls AS
SELECT e.event_id FROM events e
JOIN caller_kinds k ON k.user_agent = coalesce(e.user_agent, '') AND k.invoked_by = caller_service(e.principal)
WHERE e.event_time <= $1
  AND list_contains($2::JSON::VARCHAR[], e.principal)
  AND list_contains($3::JSON::VARCHAR[], e.event_name)
  AND k.kind = $4
  AND e.principal_type IS DISTINCT FROM 'AWSAccount'
