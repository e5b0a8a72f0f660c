-- The arrival number the next appended event gets: one past the highest stored.
SELECT coalesce(max(arrival), 0) + 1 FROM events
