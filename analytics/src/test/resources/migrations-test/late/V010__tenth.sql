-- needs V002's column: numbered 10, so it runs after 2 (numbers, not names, order them)
CREATE TABLE c AS SELECT x + y AS z FROM a;
