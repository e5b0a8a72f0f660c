-- V018: the rule for SecretTrail's own calls (self.principals, its actions, its user-agent marker) the rollups were
-- built with, as JSON (OwnCalls.basis). The dashboard's rollups count those calls as naming no secret; a writer
-- opening the store with another rule rebuilds them from the events. No row: built without one (self.principals
-- unset), as every store before this version was.
CREATE TABLE IF NOT EXISTS rollup_basis (basis VARCHAR NOT NULL);
