SELECT (SELECT count(*) FROM rollup_daily) + (SELECT count(*) FROM rollup_hourly)
    + (SELECT count(*) FROM rollup_clients) + (SELECT count(*) FROM rollup_own_calls)
