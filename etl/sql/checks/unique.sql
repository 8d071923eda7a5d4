-- Build check `unique`: rows whose check_column repeats another row's (NULLs not counted). Must be 0.
SELECT count(check_column) - count(DISTINCT check_column) AS failures
FROM check_table
