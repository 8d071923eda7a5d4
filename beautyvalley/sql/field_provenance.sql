-- The organisation card's provenance: every value seen for each figure of one site, the shown one first.
SELECT field, value, year, source, file, line, shown
FROM mart.field_provenance
WHERE org_id = $org_id
ORDER BY field, shown DESC, year DESC NULLS LAST, file, line
