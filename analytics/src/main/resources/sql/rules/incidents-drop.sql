-- Every stored incident of a rule from a first hit on (all: NULL), before the recomputed ones are stored.
DELETE FROM rule_incidents WHERE rule = $1 AND ($2::TIMESTAMP IS NULL OR first_hit >= $2::TIMESTAMP)
