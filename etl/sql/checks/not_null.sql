-- Build check `not_null`: rows where check_column is NULL. Must be 0.
SELECT count(*) AS failures
FROM check_table
WHERE check_column IS NULL
