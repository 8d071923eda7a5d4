-- What each comparable group measures (data/comparable_groups.csv).
SELECT *
FROM mart.comparable_groups
ORDER BY comparable_group
