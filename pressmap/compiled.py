"""The mypyc-compiled detection module, used only while it matches its source.

``scripts/build_compiled.py`` (run by ``make``) compiles ``pressmap/detect.py`` into a C
extension beside it, about 1.4x faster on a whole ``pressmap analyze`` run, and writes
``compiled.stamp``: the source's CRC-32 and size at build time. Python imports an extension
before a source of the same name, so an edited ``detect.py`` would go on running the old code.
The finder below sends ``import pressmap.detect`` to the source instead when the source changed
since the build (with a warning saying to rebuild), or when ``PRESSMAP_PURE_PYTHON`` is set.

>>> import pressmap.detect
>>> state("detect") in ("compiled", "source", "not built", "stale", "pure Python asked")
True
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import os
import sys
import warnings
import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent
STAMP = HERE / "compiled.stamp"
MODULES = ("detect",)  # what scripts/build_compiled.py compiles


def source_stamp(path: Path) -> str:
    """``"<crc32> <size>"`` of a file's bytes: what ``compiled.stamp`` records per module."""
    data = path.read_bytes()
    return f"{zlib.crc32(data):08x} {len(data)}"


def extension_files(module: str) -> list[Path]:
    """The compiled files of ``module`` in the package folder (none when not built)."""
    return [HERE / f"{module}{suffix}" for suffix in importlib.machinery.EXTENSION_SUFFIXES
            if (HERE / f"{module}{suffix}").exists()]


def _stamps() -> dict[str, str]:
    try:
        lines = STAMP.read_text(encoding="utf-8").splitlines()
    except OSError:
        return {}
    return {name: rest for name, _, rest in (line.partition(" ") for line in lines) if rest}


def write_stamp() -> None:
    """Record that every module in MODULES was just built from its current source."""
    STAMP.write_text("".join(f"{m} {source_stamp(HERE / f'{m}.py')}\n" for m in MODULES),
                     encoding="utf-8")


def built_from_source(module: str) -> bool:
    """Whether ``compiled.stamp`` says ``module`` was built from its current ``.py``.

    Raises OSError when the source is not there to compare."""
    return _stamps().get(module) == source_stamp(HERE / f"{module}.py")


def why_source(module: str) -> str | None:
    """Why ``module`` must run from its source although it is built ("stale", "pure Python
    asked"); None when the extension may be used, or when there is none."""
    if not extension_files(module):
        return None
    if os.environ.get("PRESSMAP_PURE_PYTHON"):
        return "pure Python asked"
    try:
        if built_from_source(module):
            return None
    except OSError:
        return None  # no source beside it (an installed wheel): the extension it is
    return "stale"


def state(module: str) -> str:
    """How ``pressmap.<module>`` runs in this process: "compiled", "source" (not built),
    "stale" or "pure Python asked" (built, but running from the source)."""
    loaded = sys.modules.get(f"pressmap.{module}")
    path = getattr(loaded, "__file__", "") or ""
    if path.endswith(tuple(importlib.machinery.EXTENSION_SUFFIXES)):
        return "compiled"
    return why_source(module) or ("source" if extension_files(module) else "not built")


class SourceWhenStale:
    """Meta-path finder: ``pressmap.detect`` from ``detect.py`` when its extension is stale."""

    @staticmethod
    def find_spec(name: str, path=None, target=None):  # (the meta-path finder protocol)
        if not name.startswith("pressmap.") or name[9:] not in MODULES:
            return None
        module = name[9:]
        why = why_source(module)
        if why is None:
            return None  # the usual finders load the extension (or the source, when not built)
        if why == "stale":
            warnings.warn(
                f"pressmap/{module}.py changed since it was compiled: running the source (slower)."
                " Rebuild with `python scripts/build_compiled.py` (make does it).",
                stacklevel=2,
            )
        return importlib.util.spec_from_file_location(name, HERE / f"{module}.py")
