"""Data desk (Gestione dati): staff upload, check, preview, publish and undo registry files, and review
corrections from the public. Everything it does goes through beautyvalley.desk (server side); the access
state is decided on the server on every run (auth.access()), and every action gets the role again
(auth.current_staff()), so nothing here relies on what the browser was shown before."""

import json

import streamlit as st

from beautyvalley import filters, i18n
from beautyvalley.desk import auth, checking, corrections, display, messages, publishing, uploads
from beautyvalley.desk import config as desk_config
from beautyvalley.desk.store import Store
from beautyvalley.formatting import md_escape
from etl.registry.headers import FIELDS as MAPPING_TARGETS

t = i18n.t
lang = filters.current().lang

st.title(t("staff.title"))
state = auth.access()
if state == "not_configured":
    st.info(messages.text("auth.not_configured", lang))
    st.stop()
if state == "signed_out":
    st.info(messages.text("auth.sign_in", lang))
    st.button(t("staff.sign_in"), on_click=auth.login, key="staff_sign_in", type="primary")
    st.stop()
if state == "not_authorised":
    st.error(messages.text("auth.not_authorised", lang))
    st.button(t("staff.sign_out"), on_click=auth.logout, key="staff_sign_out")
    st.stop()

# ---- staff only below this line
email = auth.signed_in_email()
cfg = desk_config.from_env().ensure()
store = Store(cfg.store_path)
limit_mb = cfg.max_upload_bytes // (1024 * 1024)

top1, top2 = st.columns([4, 1])
top1.caption(md_escape(t("staff.signed_in_as", email=email, role=t(f"staff.role_{state}"))))
top2.button(t("staff.sign_out"), on_click=auth.logout, key="staff_sign_out")


def role() -> str | None:
    """The role, checked again for every action (a removal from the list takes effect at once)."""
    return auth.current_staff(cfg.staff_file)


def problem_lines(problems) -> str:
    return "\n".join("- " + md_escape(messages.text(p.code, lang, **p.params)) for p in problems)


def table(df, columns: dict[str, str]):
    """A result table with translated headers; values are shown as data (never as HTML/markdown)."""
    if df is None or df.empty:
        st.caption(t("staff.none"))
        return
    shown = [c for c in columns if c in df.columns]
    st.dataframe(display.labelled(df[shown], lang).rename(columns=columns), hide_index=True, width="stretch")



# ---- 1. upload
st.subheader(t("staff.upload_header"))
st.caption(t("staff.upload_limit", limit_mb=i18n.fmt_int(limit_mb)))
up = st.file_uploader(t("staff.upload_label"), type=["csv", "xlsx"], key="staff_upload",
                      max_upload_size=limit_mb)
stored = None
if up is not None:
    data = up.getvalue()
    check = uploads.check_upload(data, up.name, cfg)
    if not check.ok:
        st.error(t("staff.upload_refused") + "\n" + problem_lines(check.problems))
    else:
        cache = st.session_state.setdefault("staff_stored", {})
        if check.sha256 not in cache:  # stored (and audited) once per file and session
            r = role()
            if r is None:
                st.stop()
            cache[check.sha256] = uploads.store_upload(cfg, store, data, check, email)
        stored = cache[check.sha256]

if stored is not None:
    # ---- 2. the ETL's own check
    st.subheader(t("staff.check_header"))
    report = checking.check_file(stored.path, stored.inbox_name)
    st.caption(md_escape(t("staff.check_file", file=report.file, sha8=stored.sha256[:8])))
    if not report.ok:
        st.error(md_escape(t("staff.check_failed", error=report.error)))
    else:
        st.caption(md_escape(t("staff.check_sheet", sheet=report.sheet or "–", encoding=report.encoding or "–",
                               delimiter=repr(report.delimiter) if report.delimiter else "–")))
        st.markdown("**" + t("staff.mapping") + "**")
        st.dataframe([{t("staff.col_header"): h, t("staff.col_target"): f or t("staff.ignored")}
                      for h, f in report.mapping], hide_index=True, width="stretch")
        # change a column's target field and save that mapping for this file (the ETL's sidecar)
        with st.form("staff_mapping_form", border=True):
            mc1, mc2 = st.columns(2)
            column = mc1.selectbox(t("staff.col_header"), report.headers, key="staff_map_column")
            target = mc2.selectbox(t("staff.col_target"), [*MAPPING_TARGETS, "ignore"], key="staff_map_target",
                                   format_func=lambda c: t("staff.ignored") if c == "ignore"
                                   else f"{i18n.column_label(c)} ({c})")
            if st.form_submit_button(t("staff.mapping_save")) and column is not None:
                try:
                    uploads.save_mapping(cfg, store, stored, {column: target}, email, role())
                except publishing.Forbidden:
                    st.error(messages.text("staff.forbidden", lang))
                else:
                    st.session_state.get("staff_previews", {}).pop(stored.sha256, None)
                    st.rerun()
        if report.notes:
            st.markdown("**" + t("staff.notes") + "**")
            st.markdown("\n".join("- " + md_escape(n) for n in checking.notes_in_language(report, lang)))
        m1, m2, m3 = st.columns(3)
        m1.metric(t("staff.rows_in"), i18n.fmt_int(report.rows_in))
        m2.metric(t("staff.rows_rejected"), i18n.fmt_int(report.rows_rejected))
        m3.metric(t("staff.warnings"), i18n.fmt_int(report.warnings))
        st.markdown("**" + t("staff.issues") + "**")
        if report.issues.empty:
            st.caption(t("staff.no_issues"))
        else:
            table(checking.issues_in_language(report, lang),
                  {"line": t("staff.col_line"), "field": t("staff.col_field"), "value": t("staff.col_value"),
                   "severity": t("staff.col_severity"), "message": t("staff.col_message")})
            if lang != "en":
                st.caption(t("staff.messages_lang"))
        if len(report.rejected):
            st.download_button(t("staff.download_rejected"), checking.rejected_rows_csv(report),
                               file_name=f"rejected-{stored.sha256[:8]}.csv", mime="text/csv",
                               key="staff_dl_rejected", on_click="ignore")

    # ---- 3. preview
    st.subheader(t("staff.preview_header"))
    st.caption(t("staff.preview_note"))
    previews = st.session_state.setdefault("staff_previews", {})
    if st.button(t("staff.preview_button"), key="staff_preview"):
        try:
            previews[stored.sha256] = publishing.preview(cfg, stored, role())
        except publishing.Forbidden:
            st.error(messages.text("staff.forbidden", lang))
    pv = previews.get(stored.sha256)
    if pv is not None:
        if not pv.build_ok:
            st.error(md_escape(t("staff.preview_failed", error=pv.error)))
        else:
            c = pv.counts
            p1, p2, p3, p4 = st.columns(4)
            p1.metric(t("staff.rows_in"), i18n.fmt_int(c.get("rows_in", 0)))
            p2.metric(t("staff.rows_loaded"), i18n.fmt_int(c.get("rows_loaded", 0)))
            p3.metric(t("staff.rows_merged"), i18n.fmt_int(c.get("rows_merged", 0)))
            p4.metric(t("staff.rows_rejected"), i18n.fmt_int(c.get("rows_rejected", 0)))
            site_cols = {"org_id": "org_id", "name": i18n.column_label("name"),
                         "comune": i18n.column_label("comune"), "province": i18n.column_label("province"),
                         "kind": i18n.column_label("kind"), "source_urls": i18n.column_label("source_urls"),
                         "source_files": t("staff.source_files")}
            st.markdown("**" + t("staff.new_sites") + "**")
            table(pv.new_sites, site_cols)
            st.markdown("**" + t("staff.merged_sites") + "**")
            table(pv.merged_sites, site_cols)
            st.markdown("**" + t("staff.changed") + "**")
            table(pv.changed.astype({"old": str, "new": str}) if not pv.changed.empty else pv.changed,
                  {"org_id": "org_id", "name": i18n.column_label("name"), "field": t("staff.col_field"),
                   "old": t("staff.col_old"), "new": t("staff.col_new"),
                   "source_urls": i18n.column_label("source_urls"), "source_files": t("staff.source_files")})
            st.markdown("**" + t("staff.disappeared") + "**")
            table(pv.disappeared, site_cols)

            # ---- 4. publish (only after a successful preview of this very file)
            st.subheader(t("staff.publish_header"))
            if st.button(t("staff.publish_button"), key="staff_publish", type="primary"):
                try:
                    res = publishing.publish(cfg, store, stored, email, role())
                except publishing.Forbidden:
                    res = None
                    st.error(messages.text("staff.forbidden", lang))
                if res is not None and res.ok:
                    previews.pop(stored.sha256, None)
                    st.cache_data.clear()
                    st.success(t("staff.published", build_id=res.build_id))
                elif res is not None:
                    st.error(md_escape(messages.text("publish.failed", lang, error=res.error or "")))

# ---- undo (admin)
st.subheader(t("staff.undo_header"))
if state != "admin":
    st.caption(t("staff.undo_admin_only"))
elif st.button(t("staff.undo_button"), key="staff_undo"):
    try:
        u = publishing.undo(cfg, store, email, role())
        st.cache_data.clear()
        st.success(md_escape(t("staff.undone", file=u.undone_file, build_id=u.restored_build_id or "–")))
    except publishing.NothingToUndo:
        st.info(messages.text("publish.nothing_to_undo", lang))
    except publishing.Forbidden:
        st.error(messages.text("staff.forbidden", lang))

# ---- corrections queue
st.subheader(t("staff.corrections_header"))
pending = corrections.queue(store, role())
if not pending:
    st.caption(t("staff.corrections_empty"))
for c in pending:
    with st.container(border=True):
        st.markdown(md_escape(t("staff.correction_item", id=c["id"], org_id=c["org_id"],
                                field=i18n.column_label(c["field"]), time=c.get("submitted_at") or "")))
        st.markdown(f"**{t('staff.correction_value')}**: " + md_escape(c["proposed_value"]) + "  \n"
                    f"**{t('staff.correction_source')}**: "
                    + (md_escape(c["source_url"]) if c["source_url"] else t("staff.correction_no_source")))
        a, b = st.columns([1, 3])
        reason = b.text_input(t("staff.reject_reason"), key=f"staff_reason_{c['id']}")
        if a.button(t("staff.accept"), key=f"staff_accept_{c['id']}"):
            try:
                build_id = corrections.accept(cfg, store, c["id"], email, role())
                st.cache_data.clear()
                st.success(t("staff.accepted", id=c["id"], build_id=build_id))
            except publishing.Forbidden:
                st.error(messages.text("staff.forbidden", lang))
            except Exception as e:  # noqa: BLE001 - shown, the review state is in the store
                st.error(md_escape(t("staff.action_failed", error=messages.text(str(e), lang))))
        if b.button(t("staff.reject"), key=f"staff_reject_{c['id']}"):
            try:
                corrections.reject(cfg, store, c["id"], email, role(), reason)
                st.success(t("staff.rejected", id=c["id"]))
            except publishing.Forbidden:
                st.error(messages.text("staff.forbidden", lang))
            except ValueError as e:
                st.error(md_escape(messages.text(str(e), lang)))

# ---- audit log
st.subheader(t("staff.audit_header"))
log = store.audit_log(50)
if not log:
    st.caption(t("staff.audit_empty"))
else:
    st.dataframe([{t("staff.audit_at"): r["at"], t("staff.audit_actor"): r["actor"],
                   t("staff.audit_action"): r["action"], t("staff.audit_file"): r["file"],
                   "sha256": (r["sha256"] or "")[:12], t("staff.audit_build"): r["build_id"],
                   t("staff.audit_counts"): json.dumps(r["counts"]) if r["counts"] else ""} for r in log],
                 hide_index=True, width="stretch")
