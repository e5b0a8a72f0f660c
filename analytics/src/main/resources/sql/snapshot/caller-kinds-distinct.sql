-- The distinct callers (user agent, invoking service) of the events up to asOf ($1); a few thousand.
SELECT DISTINCT coalesce(user_agent, '') AS user_agent, caller_service(principal) AS invoked_by
FROM events WHERE event_time <= $1
