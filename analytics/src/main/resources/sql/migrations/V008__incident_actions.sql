-- V008: an acknowledgement or suppression can name one incident. '' keeps the old meaning: every
-- alert of the rule, resource and principal.
ALTER TABLE alert_actions ADD COLUMN IF NOT EXISTS incident VARCHAR DEFAULT '';
