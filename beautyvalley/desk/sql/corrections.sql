-- Every correction with its current status (its latest review; none = pending).
SELECT c.*, coalesce(r.status, 'pending') AS status, r.reviewer, r.reason, r.reviewed_at
FROM corrections c
LEFT JOIN reviews r ON r.id = (SELECT max(id) FROM reviews WHERE correction_id = c.id)
ORDER BY c.id
