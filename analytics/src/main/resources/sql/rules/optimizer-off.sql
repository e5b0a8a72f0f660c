-- The optimizer off while a rule's query is only prepared for its column names (RuleRunner).
PRAGMA disable_optimizer
