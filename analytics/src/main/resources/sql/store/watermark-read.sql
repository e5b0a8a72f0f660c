-- A rule's watermark: the last arrival an evaluation of it has looked at, its asOf and settings (no row:
-- never evaluated).
SELECT arrival, as_of, settings FROM rule_watermarks WHERE rule = ?
