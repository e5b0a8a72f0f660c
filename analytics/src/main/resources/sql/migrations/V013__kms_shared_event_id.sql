-- V013: a KMS request that crosses accounts (a key of another account) is logged in the caller's trail and in the
-- key owner's, each copy with its own eventID and recipientAccountId but the same sharedEventID (CloudTrail record
-- contents, KMS logging). An organization trail, or two accounts' trails read together, holds both copies.
-- shared_event_id: the record's sharedEventID, NULL where it has none (every request within one account, and the
-- rows stored before V013, which kept no raw to fill it from).
ALTER TABLE kms_requests ADD COLUMN IF NOT EXISTS shared_event_id VARCHAR;

-- One row per KMS request AWS served, whatever the accounts whose trails logged it: the copies of a request are
-- those with the same sharedEventID; a request without one is its eventID's alone (the two ids never mix, so a
-- sharedEventID equal to another request's eventID does not join it). caller_account: the account of the identity
-- that made it (userIdentity.accountId, kept in the principal's ARN), NULL when the principal names no ARN; the copy
-- kept is the caller's own (its trail's recipient is the caller), else the smallest eventID, so the pick is stable.
-- Every count and cost of KMS requests reads this view; which (account, region) pairs record KMS reads the table.
CREATE OR REPLACE VIEW kms_requests_once AS
WITH r AS (
    SELECT *, nullif(regexp_extract(principal, '^arn:aws[a-z-]*:(iam|sts)::([0-9]{12}):', 2), '') AS caller_account
    FROM kms_requests)
SELECT * FROM r
QUALIFY row_number() OVER (
    PARTITION BY shared_event_id, CASE WHEN shared_event_id IS NULL THEN event_id END
    ORDER BY (account_id IS NOT DISTINCT FROM caller_account) DESC, event_id) = 1;
