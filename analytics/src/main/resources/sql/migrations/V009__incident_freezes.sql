-- V009: a closed, notified incident is frozen (V005). What had arrived when it froze tells the hits it was
-- made of from hits that arrived later within its bounds: those never join it (sql/rules/incidents.sql).
-- arrival: the rule's watermark when the alerts recorded the incident closed (the last event the
-- evaluation that closed it had looked at). An incident frozen before this migration has no row: only a
-- hit outside its bounds is kept apart, as before.
CREATE TABLE IF NOT EXISTS incident_freezes (
    incident VARCHAR PRIMARY KEY,
    arrival BIGINT NOT NULL);
