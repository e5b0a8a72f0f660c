-- The recorded incidents one comparison needs: every open one (a clear is due when it no longer shows),
-- with the payload of its alarm; and those the current findings name ($1, a JSON list of incident ids),
-- whatever their state, so that none is notified twice. Closed incidents nobody names stay on disk: the
-- table keeps all history, a comparison reads what it compares.
SELECT incident, severity, state, CASE WHEN state = 'open' THEN payload END AS payload
FROM incidents
WHERE state = 'open' OR incident IN (SELECT unnest(?::JSON::VARCHAR[]))
