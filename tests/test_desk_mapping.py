"""A column mapping changed on the desk and saved for one file: the ETL's own check, the preview and the
publish all read it (the `<file>.mapping.toml` sidecar), undo takes it out of the inbox with the file.
Expected values come from the sample file (tests/samples/desk/nuovi_soci.csv, SYNTHETIC)."""
from __future__ import annotations

import csv

import pytest

from beautyvalley.desk import checking, publishing, uploads
from etl.registry.reading import sidecar_of
from tests.desk_helpers import ADMIN, EDITOR, SAMPLES, make_desk
from tests.test_desk_publish import q, stored

OMEGA = "Fixture Omega Profumi (synthetic) S.r.l."


@pytest.fixture
def desk(tmp_path, fixture_db, monkeypatch):
    return make_desk(tmp_path, fixture_db, monkeypatch)


def omega_employees_in_sample() -> int:
    with open(SAMPLES / "nuovi_soci.csv", encoding="utf-8") as f:
        return int(next(r for r in csv.DictReader(f, delimiter=";") if r["Ragione Sociale"] == OMEGA)["Addetti"])


def test_saved_mapping_is_used_by_check_preview_publish_and_undo(desk):
    cfg, store = desk
    up = stored(cfg, store)
    before = dict(checking.check_file(up.path, up.inbox_name).mapping)
    assert before["Addetti"] == "employees"
    pv = publishing.preview(cfg, up, "editor")
    assert pv.new_sites["name"].tolist() == [OMEGA]

    uploads.save_mapping(cfg, store, up, {"Addetti": "ignore"}, EDITOR, "editor")
    assert uploads.saved_mapping(up) == {"addetti": "ignore"}
    after = dict(checking.check_file(up.path, up.inbox_name).mapping)
    assert after["Addetti"] is None and after["Ragione Sociale"] == "name"
    assert "mapping_saved" in [e["action"] for e in store.audit_log()]

    res = publishing.publish(cfg, store, up, EDITOR, "editor")
    assert res.ok, res.error
    assert sidecar_of(cfg.inbox / up.inbox_name).is_file()
    [(emp,)] = q(cfg.db, "SELECT employees FROM mart.organisations WHERE name = ?", [OMEGA])
    assert emp is None and omega_employees_in_sample() > 0  # the sample has a head count; ignored, it did not load

    publishing.undo(cfg, store, ADMIN, "admin")
    assert not (cfg.inbox / up.inbox_name).exists() and not sidecar_of(cfg.inbox / up.inbox_name).exists()
    assert q(cfg.db, "SELECT count(*) FROM mart.organisations WHERE name = ?", [OMEGA]) == [(0,)]


def test_without_a_saved_mapping_the_column_loads(desk):
    cfg, store = desk
    up = stored(cfg, store)
    assert publishing.publish(cfg, store, up, EDITOR, "editor").ok
    assert q(cfg.db, "SELECT employees FROM mart.organisations WHERE name = ?", [OMEGA]) == \
        [(omega_employees_in_sample(),)]


def test_a_mapping_to_an_unknown_field_is_refused_and_a_visitor_cannot_save_one(desk):
    cfg, store = desk
    up = stored(cfg, store)
    with pytest.raises(ValueError):
        uploads.save_mapping(cfg, store, up, {"Addetti": "salary"}, EDITOR, "editor")
    with pytest.raises(publishing.Forbidden):
        uploads.save_mapping(cfg, store, up, {"Addetti": "ignore"}, "eve@example.org", None)
    assert not uploads.mapping_path(up).exists()
