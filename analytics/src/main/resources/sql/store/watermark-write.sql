-- A rule's watermark after an evaluation: rule, last arrival looked at, its asOf, its settings.
INSERT OR REPLACE INTO rule_watermarks VALUES (?, ?, ?, ?)
