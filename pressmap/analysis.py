"""Turn an :class:`Article` into an :class:`AnalyzedArticle` (countries and their mentions).

>>> from pressmap.model import Article
>>> a = analyze_article(Article(id="x", text="Officials in Baku met Israeli envoys."))
>>> [(c.iso3, c.count) for c in a.countries]
[('AZE', 1), ('ISR', 1)]
"""

from __future__ import annotations

from pressmap.model import AnalyzedArticle, Article, CountryHits


def analyze_article(article: Article, detector=None) -> AnalyzedArticle:
    """Detect every country ``article.text`` refers to, grouped by country (ordered by ISO3)."""
    if detector is None:
        from pressmap.detect import default_detector

        detector = default_detector()
    gazetteer = getattr(detector, "g", None)
    if gazetteer is None:
        from pressmap.gazetteer import load_gazetteer

        gazetteer = load_gazetteer()
    mentions = detector.detect(article.text, language=article.language)
    by_country: dict[str, list] = {}
    for m in mentions:
        group = by_country.get(m.iso3)
        if group is None:
            by_country[m.iso3] = [m]
        else:
            group.append(m)
    name = gazetteer.name
    return AnalyzedArticle(
        article, [CountryHits(k, name(k), by_country[k]) for k in sorted(by_country)]
    )


def to_record(result: AnalyzedArticle) -> dict:
    """The JSON shape printed by ``pressmap analyze`` for one article."""
    a, text = result.article, result.article.text
    return {
        "id": a.id,
        "path": a.path,
        "title": a.title,
        "published": a.published,
        "source": a.source,
        "url": a.url,
        "author": a.author,
        "language": a.language,
        "text": text,
        "countries": [
            {
                "iso3": c.iso3,
                "name": c.name,
                "count": c.count,
                "mentions": [
                    {
                        "start": m.start,
                        "end": m.end,
                        "surface": m.surface,
                        "kind": m.kind,
                        "confidence": m.confidence,
                        "snippet": text[m.sent_start : m.sent_end],
                    }
                    for m in c.mentions
                ],
            }
            for c in result.countries
        ],
    }
