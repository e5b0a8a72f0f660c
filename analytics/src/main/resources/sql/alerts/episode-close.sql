-- The episode of (rule, resource, principal) is over: its alarm is gone.
DELETE FROM alert_state WHERE rule = $1 AND resource = $2 AND principal = $3
