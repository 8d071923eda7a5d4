-- The canonical comparison measures (data/measures.csv).
SELECT *
FROM mart.measures
ORDER BY "order"
