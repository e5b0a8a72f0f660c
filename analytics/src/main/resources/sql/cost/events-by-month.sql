-- Per UTC month ('YYYY-MM'), the stored Secrets Manager events up to asOf, of any type: the months the trail
-- spans start at the first of them, and a month with none is one the trail does not cover (its calls are
-- unknown, its storage still billed). Parameter: asOf.
SELECT strftime(event_time, '%Y-%m') AS month, count(*) FROM events WHERE event_time <= ? GROUP BY ALL
