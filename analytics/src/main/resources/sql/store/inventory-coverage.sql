-- An inventory covers (account $1, region $2), announced by source $3; the first source is kept.
INSERT INTO inventory_coverage (account, region, source) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING
