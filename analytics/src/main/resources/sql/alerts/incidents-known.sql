-- Every incident the alerts have recorded: id, severity notified, state, the payload of its alarm.
SELECT incident, severity, state, payload FROM incidents
