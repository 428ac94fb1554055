"""The mypyc-compiled detection module: used only while fresh, and the same results as the source.

The finder tests need no compiler: a fake extension file is enough to see which file an import
picks. The comparison test runs where ``scripts/build_compiled.py`` built the extension (``make
test`` does) and skips with a message elsewhere.
"""

from __future__ import annotations

import importlib.machinery
import itertools
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import pressmap.detect
from pressmap import compiled

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def _copy_package(tmp_path: Path) -> Path:
    """The package's sources in ``tmp_path/pressmap`` (no built files), with its data beside."""
    shutil.copytree(ROOT / "pressmap", tmp_path / "pressmap", ignore=shutil.ignore_patterns(
        "__pycache__", "*.so", "*.pyd", "compiled.stamp"))
    (tmp_path / "geodata").symlink_to(ROOT / "geodata")
    return tmp_path / "pressmap"


def _import_detect(root: Path, **env: str) -> subprocess.CompletedProcess[str]:
    code = "import pressmap.detect as d; print(d.__file__)"
    return subprocess.run(
        [sys.executable, "-W", "always", "-c", code], cwd=root, capture_output=True, text=True,
        env={**os.environ, "PYTHONPATH": str(root), "PRESSMAP_PURE_PYTHON": "", **env},
    )


def test_a_stale_extension_runs_the_source_and_says_so(tmp_path: Path) -> None:
    pkg = _copy_package(tmp_path)
    suffix = importlib.machinery.EXTENSION_SUFFIXES[0]
    (pkg / f"detect{suffix}").write_bytes(b"not a real extension")
    (pkg / "compiled.stamp").write_text("detect 00000000 1\n")  # built from another source
    got = _import_detect(tmp_path)
    assert got.returncode == 0, got.stderr
    assert got.stdout.strip().endswith("detect.py")
    assert "changed since it was compiled" in got.stderr


def test_a_fresh_extension_is_what_python_imports(tmp_path: Path) -> None:
    pkg = _copy_package(tmp_path)
    suffix = importlib.machinery.EXTENSION_SUFFIXES[0]
    fake = pkg / f"detect{suffix}"
    fake.write_bytes(b"not a real extension")
    (pkg / "compiled.stamp").write_text(f"detect {compiled.source_stamp(pkg / 'detect.py')}\n")
    got = _import_detect(tmp_path)
    # The finder let the (fake) extension through: loading it fails, naming that file.
    assert got.returncode != 0 and fake.name in got.stderr
    # Asked for pure Python, the source runs, without a warning.
    got = _import_detect(tmp_path, PRESSMAP_PURE_PYTHON="1")
    assert got.returncode == 0, got.stderr
    assert got.stdout.strip().endswith("detect.py") and "Warning" not in got.stderr


def test_without_an_extension_the_source_runs(tmp_path: Path) -> None:
    _copy_package(tmp_path)
    got = _import_detect(tmp_path)
    assert got.returncode == 0 and got.stdout.strip().endswith("detect.py"), got.stderr


def test_the_state_reported_matches_the_file_imported() -> None:
    how = compiled.state("detect")
    is_extension = pressmap.detect.__file__.endswith(
        tuple(importlib.machinery.EXTENSION_SUFFIXES))
    assert (how == "compiled") == is_extension
    if compiled.extension_files("detect") and compiled.why_source("detect") is None:
        assert how == "compiled"  # built from this source: it must be what runs


def _analyze(paths: list[Path], **env: str) -> str:
    got = subprocess.run(
        [sys.executable, "-m", "pressmap.cli", "analyze", "--format", "jsonl", "--jobs", "1",
         *map(str, paths)],
        cwd=ROOT, capture_output=True, text=True, check=True,
        env={**os.environ, "PRESSMAP_PURE_PYTHON": "", **env},
    )
    return got.stdout


def test_compiled_and_pure_python_find_the_same_mentions(tmp_path: Path) -> None:
    if compiled.state("detect") != "compiled":
        pytest.skip(f"pressmap.detect is not compiled here ({compiled.state('detect')}):"
                    " python scripts/build_compiled.py builds it")
    paths = [ROOT / "articles"]
    if (SHARED / "eval" / "geoparse" / "lgl.jsonl").exists():
        sample = tmp_path / "lgl-head.jsonl"  # US local news: the most ambiguity per article
        with open(SHARED / "eval" / "geoparse" / "lgl.jsonl", encoding="utf-8") as f:
            sample.write_text("".join(itertools.islice(f, 200)), encoding="utf-8")
        paths.append(sample)
    fast = _analyze(paths)
    pure = _analyze(paths, PRESSMAP_PURE_PYTHON="1")
    assert sum(len(json.loads(line)["countries"]) for line in fast.splitlines()) > 100
    assert fast == pure
