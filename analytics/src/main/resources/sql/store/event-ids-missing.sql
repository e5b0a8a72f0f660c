-- Events stored before event_ids existed: their ids are claimed once, on open.
SELECT (SELECT count(*) FROM event_ids) = 0 AND (SELECT count(*) FROM events) > 0
