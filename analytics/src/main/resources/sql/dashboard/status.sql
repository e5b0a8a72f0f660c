-- The footer's figures. $1: the future cutoff (timestamp), $2: its day.
SELECT (SELECT coalesce(sum(events), 0) FROM rollup_daily), (SELECT count(*) FROM secret_keys),
    greatest((SELECT max(last_seen) FROM rollup_daily WHERE last_seen <= $1),
        -- a rollup row of the cutoff's day may mix events before and after it
        (SELECT max(event_time) FROM events WHERE event_time <= $1 AND event_time >= $2::DATE)),
    (SELECT count(*) FROM events WHERE event_time > $1), (SELECT max(event_time) FROM events WHERE event_time > $1),
    (SELECT coalesce(sum(calls), 0) FROM rollup_unknown_names), (SELECT coalesce(sum(names), 0) FROM rollup_unknown_names)
