"""Gazetteer: coverage of ISO 3166-1, display names, languages, size."""

from __future__ import annotations

from pathlib import Path

import pycountry

from pressmap.gazetteer import DEFAULT_PATH, load_gazetteer


def test_default_path_is_relative_to_module(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    g = load_gazetteer()
    assert DEFAULT_PATH.is_absolute() and DEFAULT_PATH.exists()
    assert load_gazetteer() is g  # cached


def test_every_iso_country_and_kosovo() -> None:
    g = load_gazetteer()
    codes = set(g.iso3_codes())
    assert {c.alpha_3 for c in pycountry.countries} <= codes
    assert "XKX" in codes
    en = g.surfaces("en")
    for code in codes:
        assert any(e.iso3 == code and e.kind == "name" for es in en.values() for e in es), code


def test_display_names() -> None:
    g = load_gazetteer()
    assert g.name("USA") == "United States"
    assert g.name("RUS") == "Russia"
    assert g.name("XKX") == "Kosovo"
    assert g.name("GBR") == "United Kingdom"
    assert g.name("ZZZ") == "ZZZ"


def test_languages_and_lookup() -> None:
    g = load_gazetteer()
    assert {"en", "fr", "de", "es", "pt", "it", "ru", "ar", "zh"} <= set(g.languages())
    assert [e.iso3 for e in g.lookup("Allemagne", "fr")] == ["DEU"]
    assert [e.iso3 for e in g.lookup("中国", "zh")] == ["CHN"]
    assert {(e.iso3, e.kind) for e in g.lookup("Israeli")} == {("ISR", "demonym")}
    assert ("AZE", "capital") in {(e.iso3, e.kind) for e in g.lookup("Baku")}


def test_stays_small() -> None:
    assert DEFAULT_PATH.stat().st_size < 3_000_000
