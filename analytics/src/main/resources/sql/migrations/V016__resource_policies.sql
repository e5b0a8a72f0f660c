-- V016: secrets' current resource policies, as GetResourcePolicy returns them (read by the inventory source)
-- or as a saved get-resource-policy output gives them. One row per secret: the latest read wins.
-- policy: the document's JSON text, NULL when the secret has none. read_at: when it was read from Secrets
-- Manager; NULL for a saved output, which counts as current as of the report. origin: GetResourcePolicy, or the
-- file it came from.
CREATE TABLE IF NOT EXISTS resource_policies (
    arn VARCHAR PRIMARY KEY,
    name VARCHAR,
    policy VARCHAR,
    read_at TIMESTAMP,
    origin VARCHAR NOT NULL
);
