-- A new read of a source's export for a month replaces what an earlier read stored for it.
DELETE FROM billed_lines WHERE source = ? AND month = ?
