-- $1: OwnCalls.basis of the rule the rollups were just built with.
INSERT INTO rollup_basis VALUES ($1)
