"""The desk preview shows coded values as words of the interface language, never the raw code."""
import pandas as pd

from beautyvalley.desk import display


def test_kind_and_changed_fields_are_words_in_both_languages():
    sites = pd.DataFrame({"org_id": ["a"], "name": ["SYNTHETIC Alfa Srl"], "kind": ["company"]})
    changed = pd.DataFrame({"org_id": ["a", "a"], "field": ["kind", "comune"],
                            "old": ["company", "Crema"], "new": ["testing_lab", "Lodi"]})
    it_sites, en_sites = display.labelled(sites, "it"), display.labelled(sites, "en")
    assert it_sites["kind"].tolist() == ["Impresa"] and en_sites["kind"].tolist() == ["Company"]
    it = display.labelled(changed, "it")
    en = display.labelled(changed, "en")
    assert it[["old", "new"]].values.tolist() == [["Impresa", "Laboratorio di prova"], ["Crema", "Lodi"]]
    assert en[["old", "new"]].values.tolist() == [["Company", "Testing lab"], ["Crema", "Lodi"]]
    assert it["field"].tolist() == ["Tipo", "Comune"] and en["field"].tolist()[1] == "Municipality"
    # the input keeps its codes
    assert changed["old"].tolist() == ["company", "Crema"] and sites["kind"].tolist() == ["company"]
