INSERT OR REPLACE INTO consumer_offsets VALUES (?, ?, ?)
