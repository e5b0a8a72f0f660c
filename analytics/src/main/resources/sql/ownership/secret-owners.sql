-- secret_owners (arn, name, team, owner, resolved_by, tag_value): the team and owner of every secret of secret_facts (see
-- Ownership). The team is, in order: the team tag's value (a replica's from its primary's inventory tags, as AWS
-- copies them), when it is a team name and not 'unowned'; the longest of ownership.prefix.* that starts the
-- secret's name; the secret's account's ownership.account.*; else 'unowned'. resolved_by says which: tag, prefix,
-- account or none; tag_value is the team tag's value as it stands (NULL without one). The owner is the owner
-- tag's value, whatever placed the team.
-- Parameters: $1 the team tag key, $2 the owner tag key, $3 the prefixes (JSON array), $4 their teams (JSON array,
-- same order), $5 the account ids (JSON array), $6 their teams (JSON array, same order).
CREATE OR REPLACE TEMP TABLE secret_owners AS
WITH prefixes AS (
    SELECT unnest($3::JSON::VARCHAR[]) AS prefix, unnest($4::JSON::VARCHAR[]) AS team),
accounts AS (
    SELECT unnest($5::JSON::VARCHAR[]) AS account, unnest($6::JSON::VARCHAR[]) AS team),
resolved AS (SELECT arn, bool_or(resolved) AS resolved FROM event_refs GROUP BY arn),
facts AS (
    SELECT f.arn, f.account,
        -- the listed name; else the ARN's resource, less the random suffix a full ARN carries
        coalesce(i.name, p.name, CASE WHEN coalesce(r.resolved, true)
                                      THEN regexp_replace(f.resource_name, '-[A-Za-z0-9]{6}$', '')
                                      ELSE f.resource_name END) AS name,
        json_transform(CASE WHEN f.is_replica AND p.arn IS NOT NULL THEN p.tags ELSE i.tags END,
            '"MAP(VARCHAR, VARCHAR)"') AS tags
    FROM secret_facts f
    LEFT JOIN inventory i ON i.arn = f.arn
    LEFT JOIN inventory p ON f.is_replica AND p.arn = f.primary_arn
    LEFT JOIN resolved r ON r.arn = f.arn
),
tagged AS (
    SELECT *,
        CASE WHEN regexp_full_match(tags[$1], '[A-Za-z0-9][A-Za-z0-9._-]{0,63}') AND tags[$1] <> 'unowned'
             THEN tags[$1] END AS tag_team,
        nullif(tags[$2], '') AS owner,
        tags[$1] AS tag_value
    FROM facts
),
by_prefix AS (
    SELECT t.arn, arg_max(x.team, length(x.prefix)) AS team
    FROM tagged t JOIN prefixes x ON starts_with(t.name, x.prefix)
    GROUP BY t.arn
)
SELECT t.arn, t.name,
    coalesce(t.tag_team, bp.team, a.team, 'unowned') AS team,
    t.owner,
    CASE WHEN t.tag_team IS NOT NULL THEN 'tag' WHEN bp.team IS NOT NULL THEN 'prefix'
         WHEN a.team IS NOT NULL THEN 'account' ELSE 'none' END AS resolved_by,
    t.tag_value
FROM tagged t
LEFT JOIN by_prefix bp ON bp.arn = t.arn
LEFT JOIN accounts a ON a.account = t.account
