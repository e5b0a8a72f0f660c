-- The invoking service of an event as the store keeps it: a principal key that is a service name, not an
-- ARN, is the event's userIdentity.invokedBy. '' for none, so that it joins. Mirrors CallerKinds.serviceOf.
CREATE OR REPLACE TEMP MACRO caller_service(principal) AS
    CASE WHEN NOT starts_with(principal, 'arn:') AND ends_with(principal, '.amazonaws.com') THEN principal ELSE '' END
