"""The staff data desk, server side: sign-in plumbing, durable stores, upload checks, preview, publish,
undo and the public corrections queue. Only `auth.py` imports Streamlit; everything else is plain Python
that a page (or a test) calls. See README "Staff data desk" for the API the page uses.

    config.py       DeskConfig: where the durable folder, warehouse, inbox and allow-list are; limits
    staff.py        the allow-list (e-mail -> role) and what each role may do
    auth.py         st.login / st.user: auth_configured(), current_staff(), session_id()
    store.py        the append-only SQLite store: uploads, audit log, corrections and their reviews
    uploads.py      size / extension / content checks, safe names, storing a file by its sha256
    checking.py     the ETL's own read + validate on an upload (what `python -m etl validate` prints)
    publishing.py   preview (diff against the warehouse in service), publish (locked, atomic), undo
    corrections.py  public corrections: submit (rate-limited), queue, accept / reject, curated file
"""
