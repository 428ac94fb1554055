"""Compile pressmap's detection module with mypyc, in place: about 1.4x faster analysis.

    python scripts/build_compiled.py [--strict] [--if-changed] [--clean]

mypyc (in the ``mypy`` package, requirements-build.txt) type-checks ``pressmap/detect.py`` and
turns it into a C extension beside it (``pressmap/detect*.so``), then ``pressmap/compiled.stamp``
records the source it was built from: ``pressmap.compiled`` uses the extension only while that
source is unchanged, and ``PRESSMAP_PURE_PYTHON=1`` runs the source anyway. The output of
``pressmap analyze`` is the same either way (tests/test_compiled.py checks it).

Without mypyc or a C compiler the build is skipped with a message and pressmap runs as pure
Python (exit 0). ``--strict`` (``make test``): a type error or a failed build exits 1, a missing
compiler still only warns. ``--if-changed``: nothing to do when the extension matches the source.
``--clean``: remove the extension and the stamp, build nothing.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PKG = ROOT / "pressmap"
sys.path.insert(0, str(ROOT))

from pressmap.compiled import (  # noqa: E402
    MODULES,
    STAMP,
    built_from_source,
    extension_files,
    write_stamp,
)


def clean() -> None:
    for module in MODULES:
        for f in [*extension_files(module), *PKG.glob(f"{module}__mypyc.*")]:
            f.unlink()
    STAMP.unlink(missing_ok=True)


def up_to_date() -> bool:
    """Every module built, from its current source."""
    return all(extension_files(m) and built_from_source(m) for m in MODULES)


def missing_tool() -> str | None:
    """Why no build can happen here, or None."""
    try:
        import mypyc  # noqa: F401
    except ImportError:
        return "mypyc is not installed (pip install -r requirements-build.txt)"
    cc = (os.environ.get("CC") or sysconfig.get_config_var("CC") or "cc").split()[0]
    if shutil.which(cc) is None:
        return f"no C compiler ({cc}) on PATH"
    include = sysconfig.get_paths()["include"]
    if not (Path(include) / "Python.h").exists():
        return f"no Python headers ({include}/Python.h)"
    return None


def build() -> subprocess.CompletedProcess[str]:
    """mypyc over a copy of the package (no project files around it), extensions copied back."""
    with tempfile.TemporaryDirectory(prefix="pressmap-mypyc-") as tmp:
        work = Path(tmp)
        shutil.copytree(PKG, work / "pressmap", ignore=shutil.ignore_patterns(
            "__pycache__", "*.so", "*.pyd", "compiled.stamp"))
        targets = [f"pressmap/{m}.py" for m in MODULES]
        proc = subprocess.run(
            [sys.executable, "-m", "mypyc", "--follow-imports=silent", *targets],
            cwd=work, capture_output=True, text=True, env={**os.environ, "MYPYC_OPT_LEVEL": "3"},
        )
        if proc.returncode == 0:
            for f in (work / "pressmap").iterdir():
                if f.suffix in (".so", ".pyd"):
                    shutil.copy2(f, PKG / f.name)
        return proc


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--strict", action="store_true", help="a failed build exits 1")
    ap.add_argument("--clean", action="store_true", help="remove the compiled files only")
    ap.add_argument("--if-changed", action="store_true",
                    help="build only when the source changed since the last build")
    args = ap.parse_args()
    if args.if_changed and not args.clean and up_to_date():
        print("compiled modules up to date")
        return 0
    clean()
    if args.clean:
        print("removed the compiled modules: pressmap runs as pure Python")
        return 0
    why = missing_tool()
    if why:
        print(f"not compiled: {why}; pressmap runs as pure Python (slower, same results)")
        return 0
    t0 = time.perf_counter()
    proc = build()
    if proc.returncode != 0:
        clean()
        print(f"mypyc failed; pressmap runs as pure Python:\n{(proc.stdout + proc.stderr)[-3000:]}")
        return 1 if args.strict else 0
    write_stamp()
    print(f"compiled {', '.join(f'pressmap/{m}.py' for m in MODULES)} with mypyc in"
          f" {time.perf_counter() - t0:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
