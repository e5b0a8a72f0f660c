-- The rule for SecretTrail's own calls the rollups were built with (OwnCalls.basis); no row: none (before V018).
SELECT basis FROM rollup_basis
