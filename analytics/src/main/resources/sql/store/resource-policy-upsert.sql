-- A secret's current resource policy: the latest read replaces the one before.
INSERT OR REPLACE INTO resource_policies (arn, name, policy, read_at, origin) VALUES (?, ?, ?, ?, ?)
