"""Shared fixtures. ``SHARED`` is the evaluation folder beside the checkout (``../shared``)."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
EXAMPLE = ROOT / "articles" / "firstpost-abraham-accords-2025-08-02.txt"


@pytest.fixture()
def no_network(monkeypatch):
    """Fail any test that tries to connect anywhere but loopback."""
    real = socket.socket.connect

    def guarded(self, address):
        if self.family in (socket.AF_INET, socket.AF_INET6) and address[0] not in ("127.0.0.1", "::1"):
            pytest.fail(f"test tried to reach the network: {address}")  # BaseException: not swallowed
        return real(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)


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
