-- caller_kinds: the kind of every distinct caller (user agent, invoking service) up to asOf, '' for NULL;
-- filled by the snapshot with the rules of callers/kinds.tsv (see CallerKinds).
CREATE OR REPLACE TEMP TABLE caller_kinds (user_agent VARCHAR NOT NULL, invoked_by VARCHAR NOT NULL,
    kind VARCHAR NOT NULL, label VARCHAR)
