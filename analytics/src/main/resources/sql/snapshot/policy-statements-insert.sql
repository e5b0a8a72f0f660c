-- One statement; the lists arrive as JSON text, a literal safe for any string.
INSERT INTO policy_statements VALUES (?, ?, ?, ?, ?::JSON::VARCHAR[], ?::JSON::VARCHAR[], ?, ?::JSON::VARCHAR[], ?)
