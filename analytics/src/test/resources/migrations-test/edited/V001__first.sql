-- the first: a table and a row
CREATE TABLE a (x BIGINT);
INSERT INTO a VALUES (1);
