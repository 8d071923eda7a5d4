"""beautyvalley/filter_spec.py: the filter dimensions and page parameters declared once (no Streamlit).

Expected values are written out by hand from the URL rules in filters.py's docstring, not taken from DIMS.
"""

from __future__ import annotations

import dataclasses
import sys
import types
from pathlib import Path

import duckdb
import pytest

from beautyvalley import filter_spec as fs

ROOT = Path(__file__).resolve().parent.parent
EXPECTED = {  # field -> (URL parameter, widget key), as the app has always used them
    "provinces": ("prov", "f_prov"), "comuni": ("comune", "f_comune"), "kinds": ("kind", "f_kind"),
    "segments": ("seg", "f_seg"), "specialties": ("spec", "f_spec"), "statuses": ("status", "f_status"),
    "name": ("q", "f_q"),
}
OPTIONS = {  # SYNTHETIC option lists
    "provinces": ["CR", "LO", "MI", "BG", "MB"], "kinds": ["company", "university"], "segments": ["brand"],
    "specialties": ["make-up, lips"], "statuses": ["active", "closed", "planned"],
}
COMUNI = {"CR": ["019036"], "MI": ["015146"]}


def allowed(d, state):
    if d.field == "comuni":
        provs = state.get("f_prov") or list(COMUNI)
        return [c for p in provs for c in COMUNI.get(p, [])]
    return OPTIONS[d.field]


def getter(query: dict[str, list[str]]):
    return lambda param: query.get(param, [])


def test_filters_fields_come_from_the_dims():
    assert {d.field: (d.param, d.key) for d in fs.DIMS} == EXPECTED
    fields = [f.name for f in dataclasses.fields(fs.Filters)]
    assert fields == [d.field for d in fs.DIMS] + ["lang"]
    f = fs.Filters()
    assert f.provinces == ("CR", "LO", "MI", "BG") and f.statuses == ("active",) and f.name == "" and f.kinds == ()
    assert hash(f) == hash(fs.Filters(lang="en"))


def test_org_where_has_every_predicate_and_binds_only_parameters():
    for d in fs.DIMS:
        assert f"${d.field}" in d.sql and f"({d.sql})" in fs.ORG_WHERE
    assert fs.ORG_WHERE.count("AND (") == len(fs.DIMS) - 1
    rows = [("a", "CR", "019036", "company", ["brand"], [], "Àlfa", None),
            ("b", "PV", "018110", "university", [], ["make-up, lips"], "Beta", "closed")]
    con = duckdb.connect()
    con.execute("CREATE SCHEMA mart; CREATE TABLE mart.organisations (org_id VARCHAR, province VARCHAR, "
                "comune_code VARCHAR, kind VARCHAR, segments VARCHAR[], specialties VARCHAR[], name VARCHAR, "
                "status VARCHAR)")
    con.executemany("INSERT INTO mart.organisations VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)

    def ids(f):
        sql = "SELECT org_id FROM mart.organisations o WHERE " + fs.ORG_WHERE + " ORDER BY org_id"
        return [r[0] for r in con.execute(sql, f.sql_params()).fetchall()]

    assert ids(fs.Filters()) == ["a"]  # default: four provinces, active (NULL status = active)
    assert ids(fs.Filters(provinces=(), statuses=())) == ["a", "b"]
    assert ids(fs.Filters(provinces=(), statuses=(), name="alfa")) == ["a"]  # accents and case ignored
    assert ids(fs.Filters(provinces=(), statuses=("closed",), specialties=("make-up, lips",))) == ["b"]
    assert ids(fs.Filters(provinces=(), statuses=(), name="'; DROP TABLE x; --")) == []


def test_url_parsing_defaults_all_and_invalid_values():
    state, notices = fs.parse_url(getter({}), allowed)
    assert state == {"f_prov": ["CR", "LO", "MI", "BG"], "f_comune": [], "f_kind": [], "f_seg": [], "f_spec": [],
                     "f_status": ["active"], "f_q": ""}
    assert notices == []
    q = {"prov": ["all"], "status": ["all"], "kind": ["company,nope"], "spec": ["make-up, lips"], "q": [" a\x00b "]}
    state, notices = fs.parse_url(getter(q), allowed)
    assert state["f_prov"] == [] and state["f_status"] == [] and state["f_kind"] == ["company"]
    assert state["f_spec"] == ["make-up, lips"] and state["f_q"] == "a b"  # specialties are not comma-split
    assert notices == [("notice.invalid_values", {"param": "kind", "value": "nope"})]
    state, notices = fs.parse_url(getter({"prov": ["ZZ"], "status": ["gone"]}), allowed)
    assert state["f_prov"] == ["CR", "LO", "MI", "BG"] and state["f_status"] == ["active"]
    assert [n[1]["param"] for n in notices] == ["prov", "status"]


def test_comuni_are_checked_against_the_provinces_read_first_and_page_params_are_skipped():
    state, notices = fs.parse_url(getter({"prov": ["CR"], "comune": ["019036,015146"], "q": ["x"]}), allowed,
                                  skip={"q"})
    assert state["f_comune"] == ["019036"] and state["f_q"] == ""
    assert notices == [("notice.invalid_values", {"param": "comune", "value": "015146"})]


def test_query_params_leave_defaults_out_and_round_trip_through_the_parser():
    f = fs.Filters(provinces=(), kinds=("company",), statuses=("closed",), name="x")
    qp = f.query_params()
    assert qp == {"prov": "all", "kind": ["company"], "status": ["closed"], "q": "x"}
    as_lists = {k: v if isinstance(v, list) else [v] for k, v in qp.items()}
    state, notices = fs.parse_url(getter(as_lists), allowed)
    assert fs.from_state(state) == f and notices == []
    assert fs.from_state(fs.default_state()) == fs.Filters()


def test_describe_in_the_dims_order_with_the_all_words():
    def t(key, **kw):
        return key + (f"={kw['value']}" if kw else "")

    def label(d, code):
        return code.lower()

    assert fs.describe(fs.Filters(), t, label) == "describe.provinces=cr, lo, mi, bg"
    f = fs.Filters(provinces=(), statuses=(), kinds=("company",), name="Alfa")
    assert fs.describe(f, t, label) == ("describe.all_provinces; describe.kinds=company; "
                                        "describe.all_statuses; describe.name=Alfa")


def test_adding_a_filter_is_one_dim_line(monkeypatch):
    """The README's recipe: one Dim(...) in DIMS; Filters, ORG_WHERE, the URL and the words follow."""
    src = (ROOT / "beautyvalley" / "filter_spec.py").read_text(encoding="utf-8")
    marker = "BY_FIELD: dict[str, Dim]"
    line = ('DIMS = (*DIMS, Dim("roles", "role", "f_role", _in_list("o.cluster_role", "roles"), '
            '"sidebar.role", "describe.roles"))\n')
    assert marker in src
    mod = types.ModuleType("filter_spec_plus_one")
    monkeypatch.setitem(sys.modules, mod.__name__, mod)  # dataclasses resolve annotations through it
    exec(compile(src.replace(marker, line + marker), "filter_spec_plus_one", "exec"), mod.__dict__)
    f = mod.Filters(roles=("founder",))
    assert f.sql_params()["roles"] == ["founder"] and "$roles" in mod.ORG_WHERE
    assert f.query_params() == {"role": ["founder"]}
    state, _ = mod.parse_url(getter({"role": ["founder"]}), lambda d, s: ["founder"] if d.field == "roles"
                             else allowed(d, s))
    assert state["f_role"] == ["founder"]


@pytest.mark.parametrize("query, state, notices", [
    ({}, {}, []),
    ({"n": ["7"], "l": ["a,b", "zz"]}, {"k_n": 7, "k_l": ["a", "b"], "seen": True}, ["l"]),
    ({"n": ["x"], "l": ["zz"]}, {}, ["n", "l"]),
])
def test_page_params_parse_and_write_back(query, state, notices):
    specs = (fs.Param("n", "k_n", lambda v, ctx: int(v) if v.isdigit() else None, default=5),
             fs.Param("l", "k_l", lambda v, ctx: v if v in ctx["ok"] else None, kind="list", comma_split=True,
                      touched="seen", to_url=list))
    got, bad = fs.parse_params(specs, getter(query), {"ok": {"a", "b"}})
    assert got == state and [b[1]["param"] for b in bad] == notices
    back = fs.params_to_url(specs, got)
    assert back == ({"n": "7", "l": ["a", "b"]} if state else {})
    assert fs.params_to_url(specs, {"k_n": 5, "k_l": ["a"]}) == {}  # default, and a list never touched
