-- rotation-disabled: inventory says rotation is off. Replicas, secrets scheduled for deletion and secrets
-- managed by another service or a partner (OwningService, Type) are skipped, the reason saying which.
SELECT f.arn AS resource,
    CASE WHEN NOT f.in_inventory OR f.rotation_enabled IS NULL THEN 'skip'
         WHEN f.is_replica THEN 'skip'
         WHEN f.deleted_date IS NOT NULL THEN 'skip'
         WHEN f.rotation_enabled THEN 'ok'
         WHEN f.managed_by IS NOT NULL THEN 'skip'
         ELSE 'alarm' END AS status,
    CASE WHEN NOT f.in_inventory OR f.rotation_enabled IS NULL THEN 'not in the inventory, so its rotation setting is unknown'
         WHEN f.is_replica THEN 'a replica of ' || f.primary_arn || ', which rotates it'
         WHEN f.deleted_date IS NOT NULL THEN 'scheduled for deletion on ' || strftime(f.deleted_date, '%Y-%m-%dT%H:%M:%SZ')
         WHEN f.rotation_enabled THEN 'rotation is enabled'
         WHEN f.owning_service IS NOT NULL
             THEN f.managed_by || ', which sets its rotation; rotation is not enabled in Secrets Manager'
         WHEN f.managed_by IS NOT NULL
             THEN f.managed_by || ', rotated through its partner integration; rotation is not enabled'
         WHEN greatest(f.last_rotated_date, f.ev_rotation_succeeded) IS NOT NULL
             THEN 'rotation is not enabled; last rotated '
                  || CAST(floor(epoch(p.as_of - greatest(f.last_rotated_date, f.ev_rotation_succeeded)) / 86400) AS BIGINT) || ' days ago'
         WHEN f.created_date IS NOT NULL
             THEN 'rotation is not enabled; never rotated since it was created '
                  || CAST(floor(epoch(p.as_of - f.created_date) / 86400) AS BIGINT) || ' days ago'
         ELSE 'rotation is not enabled' END AS reason,
    f.account, f.region, f.first_seen, f.last_seen
FROM secret_facts f, params p
