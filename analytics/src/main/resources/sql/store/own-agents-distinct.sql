-- For a rebuild: the distinct user agents of own_candidates (own-agents-candidates.sql).
SELECT DISTINCT user_agent FROM own_candidates
