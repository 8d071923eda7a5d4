-- The staff desk's durable store (beautyvalley/desk/store.py): append-only tables.
CREATE TABLE IF NOT EXISTS uploads (
    id INTEGER PRIMARY KEY, sha256 TEXT NOT NULL, original_name TEXT NOT NULL, safe_name TEXT NOT NULL,
    size INTEGER NOT NULL, uploader TEXT NOT NULL, uploaded_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS audit (
    id INTEGER PRIMARY KEY, at TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,
    file TEXT, sha256 TEXT, build_id TEXT, counts TEXT, detail TEXT);
CREATE TABLE IF NOT EXISTS corrections (
    id INTEGER PRIMARY KEY, org_id TEXT NOT NULL, field TEXT NOT NULL, proposed_value TEXT NOT NULL,
    source_url TEXT, email TEXT, session_id TEXT NOT NULL, submitted_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS reviews (
    id INTEGER PRIMARY KEY, correction_id INTEGER NOT NULL REFERENCES corrections(id),
    status TEXT NOT NULL CHECK (status IN ('accepted', 'rejected')), reviewer TEXT NOT NULL,
    reason TEXT, reviewed_at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS corrections_session ON corrections(session_id, submitted_at);
CREATE TRIGGER IF NOT EXISTS uploads_no_update BEFORE UPDATE ON uploads BEGIN SELECT RAISE(ABORT, 'uploads is append-only'); END;
CREATE TRIGGER IF NOT EXISTS uploads_no_delete BEFORE DELETE ON uploads BEGIN SELECT RAISE(ABORT, 'uploads is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
CREATE TRIGGER IF NOT EXISTS corrections_no_update BEFORE UPDATE ON corrections BEGIN SELECT RAISE(ABORT, 'corrections is append-only'); END;
CREATE TRIGGER IF NOT EXISTS corrections_no_delete BEFORE DELETE ON corrections BEGIN SELECT RAISE(ABORT, 'corrections is append-only'); END;
CREATE TRIGGER IF NOT EXISTS reviews_no_update BEFORE UPDATE ON reviews BEGIN SELECT RAISE(ABORT, 'reviews is append-only'); END;
CREATE TRIGGER IF NOT EXISTS reviews_no_delete BEFORE DELETE ON reviews BEGIN SELECT RAISE(ABORT, 'reviews is append-only'); END;
