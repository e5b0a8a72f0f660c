-- A new read of a source's export for an account and month replaces what an earlier read stored for it; another
-- account's lines of that month stay.
DELETE FROM billed_lines WHERE source = ? AND account IS NOT DISTINCT FROM ? AND month = ?
