DELETE FROM inventory WHERE arn = ?
