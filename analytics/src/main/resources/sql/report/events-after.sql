-- Events after an instant (asOf plus the slack allowed for clocks). Parameter 1: the instant.
SELECT count(*) FROM events WHERE event_time > ?
