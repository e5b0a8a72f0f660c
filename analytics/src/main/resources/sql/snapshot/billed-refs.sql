-- billed_refs (event_id, arn): the (event, secret) pairs of event_refs whose secret exists (secret_facts'
-- secret_exists). The cost model attributes a call only to such secrets; a call naming none (no secret, or
-- only names never confirmed to exist, or names not tracked one by one) is an unattributed call, and so is
-- SecretTrail's own call (self_calls): it is billed, but to no secret.
CREATE OR REPLACE TEMP TABLE billed_refs AS
SELECT r.event_id, r.arn FROM event_refs r JOIN secret_facts f USING (arn)
WHERE f.secret_exists AND r.event_id NOT IN (SELECT event_id FROM self_calls)
