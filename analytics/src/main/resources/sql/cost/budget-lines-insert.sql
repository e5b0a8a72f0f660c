-- One line of budget_lines. Parameters: dimension, key, open month, month start, projected, last month, last total.
INSERT INTO budget_lines VALUES (?, ?, ?, ?, ?, ?, ?)
