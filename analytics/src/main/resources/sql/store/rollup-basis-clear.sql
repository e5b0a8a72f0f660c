DELETE FROM rollup_basis
