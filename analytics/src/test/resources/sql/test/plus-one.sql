SELECT ? + 1 AS answer
