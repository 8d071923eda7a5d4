-- One Italian comune (any of the 7,899, not only Lombardy's) by ISTAT code, as a search point.
SELECT comune_code, name, province, region, lat, lon
FROM staging.comuni
WHERE comune_code = $comune_code
