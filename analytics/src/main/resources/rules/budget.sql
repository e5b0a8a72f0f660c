-- budget: the open month's projection (budget_lines, the cost model's figures) passes the configured budget of
-- its line, or the last closed month's total times growth_factor. Money in the reason as the pages show it:
-- four decimals under $1, two otherwise (io.secrettrail.core.Money.display).
WITH p AS (SELECT * FROM params),
entries AS (
    SELECT 'account' AS dimension, trim(unnest(string_split(accounts_usd, ','))) AS e FROM p
    UNION ALL
    SELECT 'tag', trim(unnest(string_split(tags_usd, ','))) FROM p
),
budgets AS (
    -- ACCOUNT=USD or KEY=VALUE=USD: the amount after the last '='
    SELECT dimension, trim(regexp_extract(e, '^(.*)=([^=]*)$', 1)) AS key,
        CAST(trim(regexp_extract(e, '^(.*)=([^=]*)$', 2)) AS DECIMAL(38, 10)) AS budget,
        CASE dimension WHEN 'account' THEN 'budget.accountsUsd' ELSE 'budget.tagsUsd' END AS setting
    FROM entries WHERE e <> ''
    UNION ALL
    SELECT 'total', 'all', monthly_usd, 'budget.monthlyUsd' FROM p WHERE monthly_usd > 0
),
judged AS (
    SELECT l.*, b.budget, b.setting, p.as_of, p.growth_factor, p.growth_min_usd,
        b.budget IS NOT NULL AND l.projected_usd > b.budget AS over_budget,
        p.growth_factor > 0 AND l.projected_usd >= p.growth_min_usd AND coalesce(l.last_usd, 0) > 0 AS growth_judged,
        p.growth_factor > 0 AND l.projected_usd >= p.growth_min_usd AND coalesce(l.last_usd, 0) > 0
            AND l.projected_usd > l.last_usd * p.growth_factor AS over_growth
    FROM budget_lines l LEFT JOIN budgets b USING (dimension, key), p
    WHERE b.budget IS NOT NULL OR p.growth_factor > 0
),
shown AS (
    SELECT *,
        CASE WHEN abs(projected_usd) < 1 THEN printf('%.4f', projected_usd) ELSE printf('%.2f', projected_usd) END AS proj,
        CASE WHEN abs(budget) < 1 THEN printf('%.4f', budget) ELSE printf('%.2f', budget) END AS bud,
        CASE WHEN abs(last_usd) < 1 THEN printf('%.4f', last_usd) ELSE printf('%.2f', last_usd) END AS last,
        CASE WHEN last_usd > 0 THEN printf('%.2f', projected_usd / last_usd) END AS ratio
    FROM judged
)
SELECT CASE dimension WHEN 'total' THEN 'all accounts' WHEN 'account' THEN 'account ' || key ELSE 'tag ' || key END
        AS resource,
    CASE WHEN over_budget OR over_growth THEN 'alarm' ELSE 'ok' END AS status,
    'projected $' || proj || ' for ' || open_month || ' ' || concat_ws('; it ',
        CASE WHEN over_budget THEN 'passes the budget of $' || bud || ' (' || setting || ')'
             WHEN budget IS NOT NULL THEN 'is within the budget of $' || bud || ' (' || setting || ')' END,
        CASE WHEN over_growth THEN 'is ' || ratio || 'x last month''s $' || last || ' (' || last_month
                 || '), past the growth factor of ' || printf('%g', growth_factor)
             WHEN growth_judged THEN 'is ' || ratio || 'x last month''s $' || last || ' (' || last_month
                 || '), within the growth factor of ' || printf('%g', growth_factor)
             WHEN growth_factor > 0 AND projected_usd < growth_min_usd THEN 'is under budget.growthMinUsd: not judged for growth'
             WHEN growth_factor > 0 THEN 'has no closed month with a cost before it: not judged for growth' END)
        AS reason,
    CASE WHEN dimension = 'account' THEN key END AS account,
    NULL::VARCHAR AS region,
    month_start AS first_seen, as_of AS last_seen
FROM shown
