"""Shared fixtures. ``SHARED`` is the evaluation folder beside the checkout (``../shared``)."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
EXAMPLE = ROOT / "articles" / "firstpost-abraham-accords-2025-08-02.txt"


def need_shared(*parts: str) -> Path:
    """Path inside ../shared, or skip the test with a message when it is absent."""
    p = SHARED.joinpath(*parts)
    if not p.exists():
        pytest.skip(f"{p} is absent: evaluation data lives in ../shared, which this checkout lacks")
    return p


from hypothesis import settings  # noqa: E402

# First calls import heavy modules (mapclassify, lxml): time is measured in benchmarks, not here.
settings.register_profile("pressmap", deadline=None, max_examples=100)
settings.load_profile("pressmap")
