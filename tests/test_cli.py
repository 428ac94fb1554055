"""The command line: every command has help; analyze, ingest, countries and stats agree."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from pressmap.cli import main

COMMANDS = sorted(main.commands)


def test_commands_exist() -> None:
    assert {"analyze", "ingest", "countries", "stats", "dashboard"} <= set(COMMANDS)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command: str) -> None:
    result = CliRunner().invoke(main, [command, "--help"])
    assert result.exit_code == 0
    assert "Usage:" in result.output
    assert main.commands[command].help, f"{command} has no docstring"


@pytest.fixture()
def corpus(tmp_path):
    rows = [
        {"id": "r1", "title": "One", "text": "Officials in Baku met Israeli envoys in Jerusalem.",
         "published": "2025-01-02", "source": "Wire"},
        {"id": "r2", "title": "Two", "text": "France and Germany agreed. Paris said so.",
         "published": "2025-01-03", "source": "Wire"},
    ]
    p = tmp_path / "a.jsonl"
    p.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return tmp_path


def test_analyze_jsonl_offsets_hold(corpus) -> None:
    r = CliRunner().invoke(main, ["analyze", str(corpus), "--format", "jsonl"])
    assert r.exit_code == 0, r.output
    recs = [json.loads(line) for line in r.stdout.splitlines()]
    assert [x["id"] for x in recs] == ["r1", "r2"]
    by = {x["id"]: {c["iso3"]: c for c in x["countries"]} for x in recs}
    assert set(by["r1"]) == {"AZE", "ISR"}
    assert set(by["r2"]) == {"FRA", "DEU"}
    assert by["r2"]["FRA"]["count"] == 2
    for x in recs:
        for c in x["countries"]:
            for m in c["mentions"]:
                assert x["text"][m["start"]:m["end"]] == m["surface"]
                assert m["surface"] in m["snippet"]


def test_analyze_tsv_and_json(corpus) -> None:
    r = CliRunner().invoke(main, ["analyze", str(corpus), "--format", "tsv"])
    lines = [ln.split("\t") for ln in r.stdout.splitlines()]
    assert lines[0][0] == "r1" and lines[0][3] == "AZE:1 ISR:2"
    r = CliRunner().invoke(main, ["analyze", str(corpus), "--format", "json"])
    assert [x["id"] for x in json.loads(r.stdout)] == ["r1", "r2"]


def test_analyze_kinds_option(corpus) -> None:
    r = CliRunner().invoke(main, ["analyze", str(corpus), "--format", "tsv", "--kinds", "name"])
    assert r.stdout.splitlines()[0].split("\t")[3] == ""
    r = CliRunner().invoke(main, ["analyze", str(corpus), "--kinds", "nonsense"])
    assert r.exit_code != 0 and "nonsense" in r.output


def test_ingest_is_incremental_and_counts_agree(corpus, tmp_path) -> None:
    db = str(tmp_path / "p.db")
    run = CliRunner()
    r1 = run.invoke(main, ["ingest", str(corpus), "--db", db, "--json"])
    assert r1.exit_code == 0, r1.output
    s1 = json.loads(r1.stdout)
    assert (s1["read"], s1["new"], s1["unchanged"], s1["failed"]) == (2, 2, 0, 0)
    r2 = run.invoke(main, ["ingest", str(corpus), "--db", db, "--json"])
    s2 = json.loads(r2.stdout)
    assert (s2["new"], s2["unchanged"]) == (0, 2)
    stats = json.loads(run.invoke(main, ["stats", "--db", db, "--format", "json"]).stdout)
    assert stats["articles"] == 2 and stats["countries"] == 4 and stats["mentions"] == 6
    rows = list(csv.DictReader(io.StringIO(run.invoke(main, ["countries", "--db", db]).stdout)))
    assert {r["iso3"]: (int(r["articles"]), int(r["mentions"])) for r in rows} == {
        "AZE": (1, 1), "ISR": (1, 2), "FRA": (1, 2), "DEU": (1, 1)}


def test_ingest_reports_failures_and_goes_on(tmp_path) -> None:
    (tmp_path / "good.jsonl").write_text('{"id": "g", "text": "Talks in Kenya."}\n')
    (tmp_path / "empty.txt").write_text("")
    db = str(tmp_path / "p.db")
    r = CliRunner().invoke(main, ["ingest", str(tmp_path), "--db", db, "--json"])
    s = json.loads(r.stdout)
    assert s["new"] == 1 and s["failed"] == 1
    assert "empty.txt" in s["failures"][0]["path"]


def test_db_from_environment(corpus, tmp_path, monkeypatch) -> None:
    db = tmp_path / "env.db"
    monkeypatch.setenv("PRESSMAP_DB", str(db))
    CliRunner().invoke(main, ["ingest", str(corpus), "--quiet"])
    assert db.exists()


def test_field_options_pick_the_text_and_metadata(tmp_path) -> None:
    p = tmp_path / "export.jsonl"
    p.write_text(json.dumps({"story": "Talks in Nairobi went on.", "headline": "H1",
                             "meta": {"outlet": "Wire"}, "key": "k1"}) + "\n", encoding="utf-8")
    r = CliRunner().invoke(main, ["analyze", str(p), "--format", "json"])
    assert r.exit_code == 1 and "no text" in r.output  # "story" is not a usual text field name
    r = CliRunner().invoke(main, ["analyze", str(p), "--format", "json", "--text-field", "story",
                                  "--title-field", "headline", "--source-field", "meta.outlet",
                                  "--id-field", "key"])
    assert r.exit_code == 0, r.output
    [rec] = json.loads(r.stdout)
    assert (rec["id"], rec["title"], rec["source"]) == ("k1", "H1", "Wire")
    assert [c["iso3"] for c in rec["countries"]] == ["KEN"]


def test_no_fetch_reads_feed_items_without_the_network(tmp_path, monkeypatch) -> None:
    import pressmap.fetch

    calls = []

    def refuse(url, *a, **k):
        calls.append(url)
        raise pressmap.fetch.FetchError("no network in tests")

    monkeypatch.setattr(pressmap.fetch, "fetch", refuse)
    feed = tmp_path / "feed.rss"
    feed.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>'
        "<item><title>Talks</title><link>https://example.org/a</link>"
        "<description>Envoys met in Nairobi and Kampala on Monday.</description></item>"
        "</channel></rss>", encoding="utf-8")
    db = tmp_path / "f.db"
    r = CliRunner().invoke(main, ["ingest", str(feed), "--db", str(db), "--no-fetch", "--json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["new"] == 1
    rows = list(csv.DictReader(io.StringIO(
        CliRunner().invoke(main, ["countries", "--db", str(db)]).stdout)))
    assert {x["iso3"] for x in rows} == {"KEN", "UGA"}
    assert calls == []  # without --no-fetch the item's link would have been fetched


def test_reanalyze_applies_new_overrides_to_unchanged_articles(corpus, tmp_path) -> None:
    db = str(tmp_path / "r.db")
    run = CliRunner()
    assert run.invoke(main, ["ingest", str(corpus), "--db", db, "--quiet"]).exit_code == 0
    ov = tmp_path / "ov.toml"
    ov.write_text('"Jerusalem" = "none"\n', encoding="utf-8")

    def counts() -> dict:
        out = run.invoke(main, ["countries", "--db", db]).stdout
        return {r["iso3"]: int(r["mentions"]) for r in csv.DictReader(io.StringIO(out))}

    assert counts()["ISR"] == 2  # "Israeli" and "Jerusalem"
    # without --reanalyze the unchanged articles are skipped, overrides or not
    s = json.loads(run.invoke(main, ["ingest", str(corpus), "--db", db, "--json",
                                     "--overrides", str(ov)]).stdout)
    assert (s["unchanged"], s["updated"]) == (2, 0) and counts()["ISR"] == 2
    s = json.loads(run.invoke(main, ["ingest", str(corpus), "--db", db, "--json",
                                     "--overrides", str(ov), "--reanalyze"]).stdout)
    assert (s["unchanged"], s["updated"]) == (1, 1)  # only the article whose mentions changed
    assert counts()["ISR"] == 1 and counts()["FRA"] == 2
    stats = json.loads(run.invoke(main, ["stats", "--db", db, "--format", "json"]).stdout)
    assert stats["articles"] == 2 and stats["mentions"] == 5
