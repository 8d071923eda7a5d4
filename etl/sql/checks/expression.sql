-- Build check `expression`: rows for which the schema file's expression is not true. Must be 0.
SELECT count(*) AS failures
FROM check_table
WHERE NOT coalesce(check_expression, false)
