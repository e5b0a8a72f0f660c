-- V007: detections are evaluated incrementally, in arrival order. events.arrival numbers the events in the
-- order the store appended them (increasing across batches, whatever their event_time: a late file's events
-- arrive last). Events stored before hold none: numbered once in insertion order (rowid is increasing in it).
ALTER TABLE events ADD COLUMN arrival BIGINT;

UPDATE events SET arrival = rowid + 1 WHERE arrival IS NULL;

-- Per rule, the last arrival an evaluation has looked at, the asOf it judged at, and the settings it ran
-- with (other settings: the next evaluation starts from scratch).
CREATE TABLE IF NOT EXISTS rule_watermarks (
    rule VARCHAR PRIMARY KEY,
    arrival BIGINT NOT NULL,
    as_of TIMESTAMP NOT NULL,
    settings VARCHAR NOT NULL);

-- The incidents of every detection as its evaluations left them: what an evaluation lists. An evaluation
-- recomputes only those that what arrived can change, from the first hit on (first_hit at or after it).
-- payload is the finding (JSON), state excepted: open or closed is judged at the listing's asOf.
CREATE TABLE IF NOT EXISTS rule_incidents (
    rule VARCHAR NOT NULL,
    incident VARCHAR NOT NULL,
    resource VARCHAR,
    principal VARCHAR,
    first_hit TIMESTAMP NOT NULL,
    last_hit TIMESTAMP NOT NULL,
    payload VARCHAR NOT NULL,
    PRIMARY KEY (rule, incident));
