INSERT INTO caller_kinds VALUES (?, ?, ?, ?)
