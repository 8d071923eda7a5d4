-- How many of the filtered sites (filtered) have each field.
SELECT count(*) AS sites,
       count(employees) AS employees,
       count(revenue_eur) AS revenue,
       count(website) FILTER (WHERE website <> '') AS website,
       count(*) FILTER (WHERE location_precision = 'address') AS exact_location,
       count(*) FILTER (WHERE location_precision = 'comune') AS comune_location,
       count(*) FILTER (WHERE lat IS NULL OR location_precision = 'unknown')
         AS unknown_location,
       count(founded) AS founded,
       count(ateco) FILTER (WHERE ateco <> '') AS ateco,
       count(vat) FILTER (WHERE vat <> '') AS vat
FROM f
