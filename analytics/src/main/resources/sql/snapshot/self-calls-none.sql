-- self_calls with no self.principals: empty, without reading the events (see self-calls.sql).
CREATE OR REPLACE TEMP TABLE self_calls (event_id VARCHAR NOT NULL)
