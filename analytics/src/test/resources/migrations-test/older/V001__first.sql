-- the first: a table and a row
CREATE TABLE a (x INTEGER);
INSERT INTO a VALUES (1);
