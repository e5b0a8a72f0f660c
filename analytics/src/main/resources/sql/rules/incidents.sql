-- The incident pass, shared by every detection: put in a detection's query where it says "--@incidents",
-- after its "hits" CTE and before the CTEs that gather the evidence of each incident's worst window.
-- hits: one row per threshold-crossing window: subject (what an incident is about), hit_at (the window's
-- end), window_start (or NULL), arrival (the last events.arrival among the window's events, or NULL when
-- the rule cannot tell), score (the figure compared with the threshold), severity.
-- Consecutive hits of one subject less than quiet_hours apart form one incident; the next hit at or past
-- quiet_hours opens a new one. An incident stored as closed and notified (table incidents) is frozen: a
-- hit on either side of its bounds never joins it, so a late event cannot reopen it or move its first hit;
-- and a hit within its bounds that arrived after it froze (arrival past incident_freezes.arrival, V009) is
-- late: it never joins it either, but forms incidents with the other late hits within those bounds (its
-- lane), so the frozen incident keeps its hits and a late escalation is an incident of its own.
-- Out: the worst hit of each incident (highest severity, then score, then earliest) with first_hit,
-- last_hit, first_start (earliest window_start), hit_count (distinct hit times) and state (closed once as_of - last_hit >=
-- quiet_hours).
frozen AS (
    SELECT i.subject, i.first_hit, i.last_hit, z.arrival AS froze_at FROM incidents i
    LEFT JOIN incident_freezes z USING (incident)
    WHERE i.rule = (SELECT rule_id FROM params) AND i.state = 'closed' AND i.notified_at IS NOT NULL
),
frozen_lanes AS (
    -- a frozen incident of late hits lies within the bounds of another: its bounds break only its own lane
    SELECT f.*, (SELECT max(o.first_hit) FROM frozen o
                 WHERE o.subject = f.subject AND o.first_hit < f.first_hit AND f.last_hit <= o.last_hit) AS lane
    FROM frozen f
),
hit_lanes AS (
    -- lane: NULL, or the first hit of the frozen incident within whose bounds a late hit lies
    SELECT h.*, (SELECT max(f.first_hit) FROM frozen f
                 WHERE f.subject = h.subject AND h.hit_at BETWEEN f.first_hit AND f.last_hit
                   AND h.arrival > f.froze_at) AS lane
    FROM hits h
),
hit_gaps AS (
    SELECT h.*, lag(h.hit_at) OVER (PARTITION BY h.subject, h.lane ORDER BY h.hit_at) AS prev_at FROM hit_lanes h
),
hit_breaks AS (
    SELECT g.*,
        g.prev_at IS NULL OR g.hit_at - g.prev_at >= (SELECT to_hours(quiet_hours) FROM params)
            OR EXISTS (SELECT 1 FROM frozen_lanes f WHERE f.subject = g.subject AND f.lane IS NOT DISTINCT FROM g.lane
                AND ((f.first_hit > g.prev_at AND f.first_hit <= g.hit_at)
                  OR (f.last_hit >= g.prev_at AND f.last_hit < g.hit_at))) AS fresh
    FROM hit_gaps g
),
hit_runs AS (
    SELECT b.*, sum(b.fresh::INTEGER) OVER (PARTITION BY b.subject, b.lane ORDER BY b.hit_at ROWS UNBOUNDED PRECEDING) AS run
    FROM hit_breaks b
),
incidents_worst AS (
    SELECT r.* EXCLUDE (prev_at, fresh, lane, arrival),
        min(r.hit_at) OVER run AS first_hit, max(r.hit_at) OVER run AS last_hit,
        min(r.window_start) OVER run AS first_start, count(DISTINCT r.hit_at) OVER run AS hit_count,
        CASE WHEN (SELECT as_of FROM params) - max(r.hit_at) OVER run >= (SELECT to_hours(quiet_hours) FROM params)
             THEN 'closed' ELSE 'open' END AS state
    FROM hit_runs r
    WINDOW run AS (PARTITION BY r.subject, r.lane, r.run)
    QUALIFY row_number() OVER (PARTITION BY r.subject, r.lane, r.run ORDER BY
        CASE lower(r.severity) WHEN 'critical' THEN 4 WHEN 'high' THEN 3 WHEN 'medium' THEN 2 WHEN 'low' THEN 1 ELSE 0 END DESC,
        r.score DESC, r.hit_at) = 1
),
