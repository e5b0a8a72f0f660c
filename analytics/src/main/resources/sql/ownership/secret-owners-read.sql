-- Every secret's team and owner (secret_owners, see secret-owners.sql), in ARN order.
SELECT arn, name, team, owner, resolved_by FROM secret_owners ORDER BY arn
