-- Events stored before rollups existed: the rollups are built from them once, on open.
SELECT (SELECT count(*) FROM rollup_daily) = 0 AND (SELECT count(*) FROM events) > 0
