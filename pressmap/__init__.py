"""pressmap: turn a pile of news articles into a world map of who is in the news.

>>> from pressmap import analyze_text
>>> [c.iso3 for c in analyze_text("Talks in Baku with Israeli envoys.").countries]
['AZE', 'ISR']
"""

import sys as _sys

from pressmap.compiled import SourceWhenStale as _SourceWhenStale
from pressmap.model import AnalyzedArticle, Article, CountryHits, Mention, ReadError

if _SourceWhenStale not in _sys.meta_path:  # a stale compiled module runs from its source
    _sys.meta_path.insert(0, _SourceWhenStale)

__all__ = ["AnalyzedArticle", "Article", "CountryHits", "Mention", "ReadError", "analyze_text"]
__version__ = "0.1.0"


def analyze_text(text: str, **article_fields) -> AnalyzedArticle:
    """Detect countries in one clean text; returns an :class:`AnalyzedArticle`."""
    from pressmap.analysis import analyze_article

    return analyze_article(Article(id=article_fields.pop("id", "text"), text=text, **article_fields))
