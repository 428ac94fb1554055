"""The ``pressmap`` command line: a thin Click layer over the Python API.

pressmap analyze articles/ --format tsv
pressmap ingest articles/ --db pressmap.db
pressmap countries --format csv
pressmap dashboard --port 8501
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import click

DB_OPTION = click.option(
    "--db",
    "db",
    type=click.Path(dir_okay=False),
    default=None,
    help="Database file (default: $PRESSMAP_DB or ./pressmap.db).",
)


JOBS_OPTION = click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="Analysing processes (default: every core); the results are the same with any number.",
)


FIELD_OPTIONS = ("text", "title", "published", "url", "source", "author", "language", "id")


def reader_options(f):
    """Options shared by ``analyze`` and ``ingest``: field names for JSON/CSV rows, fetching."""
    for name in reversed(FIELD_OPTIONS):
        f = click.option(f"--{name}-field", f"{name}_field", default=None, metavar="NAME",
                         help=f"JSON/CSV field holding the {name} (dotted for nested objects).")(f)
    f = click.option("--no-fetch", is_flag=True,
                     help="Do not fetch the articles that feed items link to (use their summaries).")(f)
    f = click.option("--allow-private", is_flag=True,
                     help="Allow fetching URLs on loopback, private and link-local addresses.")(f)
    return f


def _reader_kwargs(opts: dict) -> dict:
    """``iter_articles`` keyword arguments from the options of :func:`reader_options`."""
    from pressmap.readers import FieldMap, Limits

    kw: dict = {}
    fields = {n: opts.pop(f"{n}_field", None) for n in FIELD_OPTIONS}
    if any(fields.values()):
        kw["fields"] = FieldMap(**fields)
    if opts.pop("no_fetch", False):
        kw["limits"] = Limits(fetch_links=False)
    if opts.pop("allow_private", False):
        kw["allow_private"] = True
    return kw


def _db(db: str | None) -> str:
    from pressmap.store import default_db_path

    return db or default_db_path()


def _err(msg: str) -> None:
    click.echo(msg, err=True)


def _shown(s: str) -> str:
    """``s`` with control and format characters escaped, so a hostile file name stays on one line
    and cannot drive the terminal (``"a\\nb"`` is shown as ``a\\nb``)."""
    return "".join(c if c.isprintable() else ascii(c)[1:-1] for c in s)


def _db_fail(path: str, exc: BaseException) -> None:
    """Say in one line why the database cannot be used, then exit 1 (never a traceback)."""
    from pressmap.readers import one_line

    why = one_line(str(exc) or type(exc).__name__)
    if why == "file is not a database":
        why = "not an SQLite database; the file was left untouched"
    elif why == "unable to open database file":
        why = (
            "cannot open or create the file (does its folder exist, and may this user write there?)"
        )
    elif why == "database disk image is malformed":
        why = (
            "the file is damaged (SQLite: database disk image is malformed); restore a copy or"
            " ingest into a new file"
        )
    elif why.startswith(("no such column", "no such table", "table ")):
        why = f"not a pressmap database (another program's SQLite file?): {why}; its tables were not changed"
    _err(f"error: {path}: {why}")
    raise SystemExit(1)


def _open_store(path: str):
    """``Store(path)``, or a one-line error and exit 1 when the file is not a usable database
    (a folder, random bytes, another program's SQLite file, a newer schema, no permission).
    A busy database is left to the caller's own handling."""
    import sqlite3

    from pressmap.store import Store

    try:
        return Store(path)
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise
        _db_fail(path, exc)
    except (sqlite3.DatabaseError, OSError, RuntimeError) as exc:
        _db_fail(path, exc)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="pressmap")
def main() -> None:
    """Map which countries a pile of news articles talks about."""


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "jsonl", "tsv"]),
    default="jsonl",
    show_default=True,
    help="Output format.",
)
@click.option(
    "--kinds",
    default=None,
    help="Comma-separated mention kinds to count (name,abbreviation,demonym,capital,place,institution).",
)
@click.option(
    "--overrides",
    type=click.Path(exists=True, dir_okay=False),
    default=None,
    help="TOML file of extra aliases and exclusions.",
)
@JOBS_OPTION
@reader_options
def analyze(paths: tuple[str, ...], fmt: str, kinds: str | None, overrides: str | None,
            jobs: int | None, **opts) -> None:
    """Read articles under PATHS and print the countries each refers to (no database)."""
    import functools

    from pressmap.analyze_many import WorkerDied, analyze_many
    from pressmap.pools import default_jobs
    from pressmap.readers import iter_articles

    detector = _detector(kinds, overrides)
    import gc

    gc.freeze()  # the gazetteer lives as long as this process: keep it out of every collection
    out = sys.stdout
    items = iter_articles(list(paths), **_reader_kwargs(opts))
    render = functools.partial(_render, fmt)
    results = analyze_many(items, render, detector, jobs or default_jobs())
    try:
        _print_results(results, fmt, out)
    except WorkerDied as exc:
        out.flush()
        _err(f"error: {exc}")
        raise SystemExit(1) from None
    except OSError as exc:  # a full disk, a closed pipe: one line, never a traceback
        results.close()
        try:  # the exit's own flush of stdout must not fail again
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        except (OSError, ValueError):
            pass
        if not isinstance(exc, BrokenPipeError):
            _err(f"error: cannot write the output: {_shown(exc.strerror or str(exc))}")
        raise SystemExit(1) from None


def _print_results(results, fmt: str, out) -> None:
    """Write ``analyze_many`` results to ``out``; read and analysis failures go to stderr."""
    from pressmap.analyze_many import AnalysisFailed
    from pressmap.model import ReadError

    first, failed, done = True, 0, 0
    if fmt == "json":
        out.write("[")
    for item, got in results:
        if isinstance(got, ReadError):
            failed += 1
            _err(f"skipped {_shown(got.path)}: {_shown(got.reason)}")
            continue
        if isinstance(got, AnalysisFailed):
            failed += 1
            _err(f"failed {_shown(item.path or item.id)}: {got}")
            continue
        done += 1
        if fmt == "json":
            out.write(("\n" if first else ",\n") + got)
        else:
            out.write(got)
        first = False
    if fmt == "json":
        out.write("\n]\n")
    out.flush()
    if failed:
        _err(f"{done} analysed, {failed} failed")
    if failed and not done:
        raise SystemExit(1)


def _render(fmt: str, result) -> str:
    """One article's output: a TSV line, a JSONL line, or a JSON record (without separator)."""
    from pressmap.analysis import to_record

    if fmt == "tsv":
        item = result.article
        pairs = " ".join(f"{c.iso3}:{c.count}" for c in result.countries)
        cells = [item.id, item.path or "", item.title or "", pairs]
        joined = "".join(cells)
        if joined.isprintable():  # the common case: no tab, line break or control character
            return "\t".join(cells) + "\n"
        cells = [c.replace("\t", " ").replace("\n", " ") for c in cells]
        return "\t".join(c if c.isprintable() else _shown(c) for c in cells) + "\n"
    rec = json.dumps(to_record(result), ensure_ascii=False)
    return rec if fmt == "json" else rec + "\n"


def _detector(kinds: str | None, overrides: str | None):
    from pressmap.detect import Detector, default_detector
    from pressmap.model import KINDS

    if not kinds and not overrides:
        return default_detector()
    chosen = None
    if kinds:
        chosen = tuple(k.strip() for k in kinds.split(",") if k.strip())
        bad = [k for k in chosen if k not in KINDS]
        if bad:
            raise click.BadParameter(
                f"unknown kind(s) {', '.join(bad)}; choose from {', '.join(KINDS)}",
                param_hint="--kinds",
            )
    return Detector(kinds=chosen, overrides=Path(overrides) if overrides else None)


@main.command()
@click.argument("paths", nargs=-1, required=True)
@DB_OPTION
@click.option("--quiet", is_flag=True, help="No progress bar.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@JOBS_OPTION
@click.option(
    "--scheduler",
    default=None,
    metavar="ADDRESS",
    help="Analyse on a Dask cluster (e.g. tcp://host:8786), write Parquet, then load it.",
)
@click.option(
    "--parquet",
    "parquet_dir",
    type=click.Path(file_okay=False),
    default=None,
    help="With --scheduler: write the Parquet (articles/, mentions/) to this new or empty folder,"
         " on storage the workers share, and keep it.",
)
@click.option("--ship-text", is_flag=True,
              help="With --scheduler: read the input here and send its text to the workers"
                   " (when they do not share the input and --parquet folder).")
@click.option("--reanalyze", is_flag=True,
              help="Analyse unchanged articles again too (after an upgrade or an overrides change);"
                   " only those whose mentions change are rewritten.")
@click.option("--overrides", type=click.Path(exists=True, dir_okay=False), default=None,
              help="TOML file of extra aliases and exclusions.")
@reader_options
def ingest(
    paths: tuple[str, ...],
    db: str | None,
    quiet: bool,
    as_json: bool,
    jobs: int | None,
    scheduler: str | None,
    parquet_dir: str | None,
    ship_text: bool,
    reanalyze: bool,
    overrides: str | None,
    **opts,
) -> None:
    """Add the articles under PATHS to the database (unchanged ones are skipped)."""
    from pressmap.ingest import ingest as run_ingest

    reading = _reader_kwargs(opts)
    counter = {"n": 0}
    show = not quiet and sys.stderr.isatty()

    def progress(item, outcome: str) -> None:
        counter["n"] += 1
        if show and (counter["n"] % 25 == 0 or outcome == "failed"):
            click.echo(f"\r{counter['n']} items ...", err=True, nl=False)

    import sqlite3

    try:
        with _open_store(_db(db)) as store:
            if scheduler:
                if reanalyze or overrides:
                    raise click.UsageError("--reanalyze and --overrides are not supported with"
                                           " --scheduler yet")
                from pressmap.distributed import ClusterError, ingest_distributed

                try:
                    summary = ingest_distributed(list(paths), store, scheduler=scheduler,
                                                 parquet_dir=parquet_dir, ship_text=ship_text,
                                                 on_item=progress, **reading)
                except ClusterError as exc:
                    _err(f"error: {_shown(str(exc))}")
                    raise SystemExit(1) from None
            else:
                detector = _detector(None, overrides) if overrides else None
                summary = run_ingest(list(paths), store, on_item=progress, jobs=jobs,
                                     detector=detector, reanalyze=reanalyze, **reading)
    except sqlite3.DatabaseError as exc:
        if "locked" not in str(exc) and "busy" not in str(exc):
            _db_fail(_db(db), exc)
        _err(
            f"{_db(db)}: another process is writing to this database and held it for more than"
            " 30 s; what was stored so far is kept: run the ingest again when it is done"
        )
        raise SystemExit(1) from exc
    if show:
        click.echo("\r", err=True, nl=False)
    for e in summary.failed:
        _err(f"failed {_shown(e.path)}: {_shown(e.reason)}")
    if as_json:
        click.echo(json.dumps(summary.as_dict(), ensure_ascii=False))
    else:
        click.echo(f"{_db(db)}: {summary.line()}")
    if summary.failed and not summary.read:
        raise SystemExit(1)  # nothing could be read: say so to scripts too


@main.command()
@DB_OPTION
@click.option(
    "--format", "fmt", type=click.Choice(["csv", "json"]), default="csv", show_default=True
)
def countries(db: str | None, fmt: str) -> None:
    """Per country: articles mentioning it and total mentions."""
    from pressmap.queries import country_counts

    with _open_store(_db(db)) as store:
        rows = country_counts(store.conn)
        from pressmap.gazetteer import load_gazetteer

        gaz = load_gazetteer()
        for r in rows:
            r["name"] = gaz.name(r["iso3"])
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False))
        return
    w = csv.DictWriter(
        sys.stdout, fieldnames=["iso3", "name", "articles", "mentions"], lineterminator="\n"
    )
    w.writeheader()
    w.writerows(rows)


@main.command()
@DB_OPTION
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
def stats(db: str | None, fmt: str) -> None:
    """Corpus figures: articles, mentions, countries, sources, date span."""
    from pressmap.queries import stats as corpus_stats

    with _open_store(_db(db)) as store:
        s = corpus_stats(store.conn)
    if fmt == "json":
        click.echo(json.dumps(s))
    else:
        for k, v in s.items():
            click.echo(f"{k}: {v}")


DASHBOARD_APP = Path(__file__).resolve().parent.parent / "dashboard" / "app.py"


def dashboard_command(port: int, host: str = "localhost") -> list[str]:
    """The ``streamlit run`` command line for the dashboard (its database comes from ``$PRESSMAP_DB``)."""
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(DASHBOARD_APP),
        "--server.port",
        str(port),
        "--server.address",
        host,
        "--server.headless",
        "true",
        "--server.enableStaticServing",
        "true",
        "--browser.gatherUsageStats",
        "false",
        "--global.developmentMode",
        "false",
        "--theme.base",
        "light",
        "--client.toolbarMode",
        "viewer",
        "--server.maxUploadSize",  # MB per uploaded file (dashboard/uploads.py: MAX_FILE_MB)
        "50",
    ]


STATIC_LEAFLET = DASHBOARD_APP.parent / "static" / "leaflet"


def start_dashboard(db: str | Path, *, log=subprocess.DEVNULL, timeout: float = 60,
                    cwd: str | Path | None = None) -> tuple[subprocess.Popen, str]:
    """Serve the dashboard on ``db`` at a free loopback port; return the process and its URL
    once the server answers its health check (tests, benchmarks and scripts use this)."""
    import socket
    import time
    import urllib.request

    from pressmap.mapview import install_leaflet

    install_leaflet(STATIC_LEAFLET)  # before the server looks for its static folder
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    proc = subprocess.Popen(dashboard_command(port, "127.0.0.1"), cwd=cwd,
                            env=dict(os.environ, PRESSMAP_DB=str(db)), stdout=log,
                            stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return proc, url
        except OSError:
            time.sleep(0.3)
    proc.terminate()
    raise RuntimeError(f"the dashboard did not start within {timeout:.0f} s")


@main.command()
@DB_OPTION
@click.option("--port", default=8501, show_default=True, help="Port to serve on.")
@click.option("--host", default="localhost", show_default=True, help="Address to bind.")
def dashboard(db: str | None, port: int, host: str) -> None:
    """Serve the Streamlit dashboard on the database."""
    from pressmap.mapview import install_leaflet

    install_leaflet(STATIC_LEAFLET)  # before the server looks for its static folder
    env = dict(os.environ, PRESSMAP_DB=str(Path(_db(db)).resolve()))
    click.echo(f"pressmap dashboard on http://{host}:{port} (database {env['PRESSMAP_DB']})")
    raise SystemExit(subprocess.call(dashboard_command(port, host), env=env))


if __name__ == "__main__":
    main()
