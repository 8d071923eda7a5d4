-- Placed organisation sites with their capability evidence, one row per (site, capability, tag, source row);
-- the site's source_urls and source_files (every row of the site) are joined with ' | '.
-- $capabilities: codes to keep (empty list = all); $lat_min..$lon_max: a bounding box (NULL = anywhere);
-- $kinds, $segments: the sidebar's kind and segment filters (empty list = no filter).
SELECT o.org_id, o.group_id, o.name, o.kind, o.comune_code, o.comune, o.province,
       o.lat, o.lon, o.location_precision,
       array_to_string(o.source_urls, ' | ') AS source_urls, array_to_string(o.source_files, ' | ') AS source_files,
       oc.capability, oc.tag, oc.source, oc.line
FROM mart.organisation_capabilities oc
JOIN mart.organisations o USING (org_id)
WHERE o.lat IS NOT NULL AND o.lon IS NOT NULL
  AND (len($capabilities::VARCHAR[]) = 0 OR list_contains($capabilities::VARCHAR[], oc.capability))
  AND ($lat_min::DOUBLE IS NULL OR o.lat BETWEEN $lat_min::DOUBLE AND $lat_max::DOUBLE)
  AND ($lon_min::DOUBLE IS NULL OR o.lon BETWEEN $lon_min::DOUBLE AND $lon_max::DOUBLE)
  AND (len($kinds::VARCHAR[]) = 0 OR list_contains($kinds::VARCHAR[], o.kind))
  AND (len($segments::VARCHAR[]) = 0 OR list_has_any(o.segments, $segments::VARCHAR[]))
