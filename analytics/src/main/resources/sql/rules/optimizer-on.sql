-- The optimizer back on after a rule's column names are read (RuleRunner).
PRAGMA enable_optimizer
