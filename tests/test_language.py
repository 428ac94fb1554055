"""Offline language identification."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pressmap.language import detect_language


@pytest.mark.parametrize(
    "text, lang",
    [
        ("The government said on Monday that the talks with the rebels would resume.", "en"),
        (
            "Le gouvernement a annoncé lundi que les négociations avec les rebelles reprendront.",
            "fr",
        ),
        (
            "Die Regierung teilte am Montag mit, dass die Gespräche mit den Rebellen weitergehen.",
            "de",
        ),
        (
            "El gobierno anunció el lunes que las conversaciones con los rebeldes se reanudarán.",
            "es",
        ),
        (
            "O governo anunciou na segunda-feira que as negociações com os rebeldes serão retomadas.",
            "pt",
        ),
        (
            "Il governo ha annunciato lunedì che i colloqui con i ribelli riprenderanno presto.",
            "it",
        ),
        ("Правительство объявило в понедельник, что переговоры с повстанцами возобновятся.", "ru"),
        ("أعلنت الحكومة يوم الاثنين أن المحادثات مع المتمردين ستستأنف.", "ar"),
        ("政府周一宣布，与叛军的谈判将恢复。", "zh"),
    ],
)
def test_languages(text: str, lang: str) -> None:
    assert detect_language(text) == lang


def test_unsure() -> None:
    assert detect_language("") is None
    assert detect_language("12345 !!!") is None


@given(st.text(max_size=500))
def test_never_raises(text: str) -> None:
    assert detect_language(text) in {None, "en", "fr", "de", "es", "pt", "it", "ru", "ar", "zh"}
