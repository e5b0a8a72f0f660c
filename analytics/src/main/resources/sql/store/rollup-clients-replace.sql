DELETE FROM rollup_clients;
INSERT INTO rollup_clients SELECT * FROM compacted;
DROP TABLE compacted;
