-- Every open alarm episode.
SELECT rule, resource, principal, episode, payload FROM alert_state
