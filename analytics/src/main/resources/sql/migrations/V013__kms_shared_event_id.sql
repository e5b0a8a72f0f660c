-- V013: a KMS request that crosses accounts (a key of another account) is logged in the caller's trail and in the
-- key owner's, each copy with its own eventID and recipientAccountId but the same sharedEventID (CloudTrail record
-- contents, KMS logging). An organization trail, or two accounts' trails read together, holds both copies.
-- shared_event_id: the record's sharedEventID, NULL where it has none (every request within one account, and the
-- rows stored before V013, which kept no raw to fill it from).
ALTER TABLE kms_requests ADD COLUMN IF NOT EXISTS shared_event_id VARCHAR;
-- identity_account: the record's userIdentity.accountId when it is 12 digits, else NULL (and in the rows stored
-- before V013). It names the caller also where the identity has no ARN: the key owner's copy of a cross-account
-- request often logs the caller as {"type": "AWSAccount", "accountId": CALLER} and no ARN.
ALTER TABLE kms_requests ADD COLUMN IF NOT EXISTS identity_account VARCHAR;

-- One row per KMS request AWS served, whatever the accounts whose trails logged it: the copies of a request are
-- those with the same sharedEventID; a request without one is its eventID's alone (the two ids never mix, so a
-- sharedEventID equal to another request's eventID does not join it). caller_account: the account of the identity
-- that made it: identity_account; else (a row stored before V013, or no 12-digit accountId) the account in the
-- principal's ARN; NULL when neither names one. The ARN, which the record writer chooses, never overrides
-- userIdentity.accountId: an ARN naming another account moves nothing. The copy kept is the caller's own (its
-- trail's recipient is the caller), else the smallest eventID, so the pick is stable.
-- Every count and cost of KMS requests reads this view; which (account, region) pairs record KMS reads the table.
CREATE OR REPLACE VIEW kms_requests_once AS
WITH r AS (
    SELECT *, coalesce(identity_account,
            nullif(regexp_extract(principal, '^arn:aws[a-z-]*:(iam|sts)::([0-9]{12}):', 2), '')) AS caller_account
    FROM kms_requests)
SELECT * FROM r
QUALIFY row_number() OVER (
    PARTITION BY shared_event_id, CASE WHEN shared_event_id IS NULL THEN event_id END
    ORDER BY (account_id IS NOT DISTINCT FROM caller_account) DESC, event_id) = 1;
