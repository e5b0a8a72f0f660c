-- For a rebuild without self.principals: no stored event is SecretTrail's own.
CREATE OR REPLACE TEMP TABLE own_calls (event_id VARCHAR NOT NULL)
