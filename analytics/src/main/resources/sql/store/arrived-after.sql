-- What arrived after a watermark, up to a last arrival (inclusive): how many events, the highest arrival,
-- and the span of their event times (a late file's events are old: the evaluation reaches back from the
-- earliest).
SELECT count(*), max(arrival), min(event_time), max(event_time) FROM events WHERE arrival > ? AND arrival <= ?
