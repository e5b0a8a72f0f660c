-- ownership-required: the secret's team (secret_owners, see sql/ownership/secret-owners.sql) is 'unowned'; the
-- reason says what was looked at: the team tag, the prefixes, the account.
WITH judged AS (
    SELECT f.*, o.team, o.name, o.resolved_by, o.tag_value, p.ownership_required = 'true' AS applies
    FROM secret_facts f
    JOIN secret_owners o ON o.arn = f.arn, params p
)
SELECT arn AS resource,
    CASE WHEN NOT applies OR NOT confirmed OR deleted_date IS NOT NULL THEN 'skip'
         WHEN team = 'unowned' THEN 'alarm'
         ELSE 'ok' END AS status,
    CASE WHEN NOT applies THEN 'not required: ownership.required is false'
         WHEN NOT confirmed THEN 'not known to exist: not in the inventory, and no successful call or service event names it'
         WHEN deleted_date IS NOT NULL THEN 'scheduled for deletion on ' || strftime(deleted_date, '%Y-%m-%dT%H:%M:%SZ')
         WHEN team = 'unowned'
             THEN name || ' has no owning team: '
                  || CASE WHEN NOT in_inventory THEN 'not in the inventory, so its tags are unknown'
                          WHEN tag_value IS NULL THEN 'no team tag (ownership.teamTag)'
                               || CASE WHEN is_replica THEN ' on its primary ' || primary_arn ELSE '' END
                          -- a value that is no team name ('unowned', blank, a space in it) was looked at and refused
                          ELSE 'its team tag (ownership.teamTag) "' || tag_value || '" is not a team name' END
                  || ', no ownership.prefix.* starts its name, no ownership.account.' || account || ' is set'
         ELSE name || ' is owned by team ' || team || ' (by its ' || resolved_by || ')' END AS reason,
    account, region, first_seen, last_seen
FROM judged
