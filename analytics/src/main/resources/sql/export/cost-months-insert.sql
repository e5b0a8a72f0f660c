-- One month of the cost model into the cost months export (see cost-months-create.sql).
INSERT INTO export_cost_months VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
