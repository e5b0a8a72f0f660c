-- V018: the rule for SecretTrail's own calls (self.principals, its actions, its user-agent marker) the rollups were
-- built with, as JSON (OwnCalls.basis). The dashboard's rollups count those calls as naming no secret; a writer
-- opening the store with another rule rebuilds them from the events. No row: built without one (self.principals
-- unset), as every store before this version was.
CREATE TABLE IF NOT EXISTS rollup_basis (basis VARCHAR NOT NULL);
-- Those calls per day, secret key, principal and action: not the secret's calls, but what the principal needs (its
-- least-privilege policy, the roles a secret's page says need it). Partial rows, summed by readers, like the others.
CREATE TABLE IF NOT EXISTS rollup_own_calls (
    day DATE NOT NULL,
    secret_key VARCHAR NOT NULL,
    principal VARCHAR NOT NULL,
    event_name VARCHAR NOT NULL,
    calls BIGINT NOT NULL,
    errors BIGINT NOT NULL);
