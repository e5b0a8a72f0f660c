-- V005: detections raise incidents (a run of threshold-crossing hits of one subject), each notified on
-- its own. This table is what the alerts remember of every incident they have seen: whether it was
-- notified, at which severity, and whether its close was recorded. A closed incident that was notified
-- is frozen: the rules' incident pass (sql/rules/incidents.sql) reads it so that a late event never
-- reopens it (the late hits form an incident of their own).
CREATE TABLE IF NOT EXISTS incidents (
    incident VARCHAR PRIMARY KEY,
    rule VARCHAR NOT NULL,
    subject VARCHAR NOT NULL,
    resource VARCHAR NOT NULL,
    principal VARCHAR NOT NULL,
    first_hit TIMESTAMP NOT NULL,
    last_hit TIMESTAMP NOT NULL,
    severity VARCHAR NOT NULL,
    state VARCHAR NOT NULL,
    notified_at TIMESTAMP,
    closed_at TIMESTAMP,
    payload VARCHAR NOT NULL);
