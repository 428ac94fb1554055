"""Feeds: RSS 2.0, RSS 1.0 and Atom parsed safely; items become Articles."""

from __future__ import annotations

import pytest

from pressmap.feeds import iso_date, parse_feed, strip_html
from pressmap.model import Article, ReadError
from pressmap.readers import Limits, ReadFailure, iter_articles

NO_FETCH = Limits(fetch_links=False)
RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>World Wire</title>
<item><title>Talks in Baku</title><link>https://wire.example/a</link><guid>wire-1</guid>
  <pubDate>Mon, 02 Jun 2025 10:00:00 GMT</pubDate><dc:creator>Ann Lee</dc:creator>
  <description>Short summary.</description>
  <content:encoded><![CDATA[<p>Leaders met in <b>Baku</b> &amp; Tbilisi.</p><p>More talks.</p>]]></content:encoded>
</item>
<item><title>No guid</title><link>https://wire.example/b</link>
  <description>&lt;p&gt;Floods in Chad &amp;amp; Niger.&lt;/p&gt;</description></item>
<item><title>Empty</title></item>
</channel></rss>"""
ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom Wire</title>
<entry><title>E1</title><id>urn:e1</id>
  <link rel="self" href="https://a.example/self"/><link href="https://a.example/e1"/>
  <published>2025-01-02T03:04:05Z</published><author><name>Bo</name></author>
  <summary type="html">&lt;p&gt;Talks in Côte d'Ivoire&lt;/p&gt;</summary></entry>
<entry><title>E2</title><id>urn:e2</id><updated>2025-01-03</updated>
  <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Peru and <b>Chile</b>.</p></div></content>
</entry></feed>""".encode("utf-16")
RDF = b"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
         xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="https://r.example/"><title>RDF Wire</title></channel>
<item rdf:about="https://r.example/1"><title>R1</title><link>https://r.example/1</link>
  <description>Votes in Mali.</description><dc:date>2025-02-03</dc:date></item>
</rdf:RDF>"""
BOMB = (b'<?xml version="1.0"?>\n<!DOCTYPE rss [\n<!ENTITY a0 "lol">\n'
        + b"".join(b'<!ENTITY a%d "%s">\n' % (i, b"&a%d;" % (i - 1) * 10) for i in range(1, 10))
        + b"]>\n<rss><channel><title>&a9;</title><item><description>&a9;</description></item></channel></rss>")
XXE = (b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
       b"<rss><channel><item><title>t</title><description>&x;</description></item></channel></rss>")
XXE_PARAM = (b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY % p SYSTEM "http://127.0.0.1:1/x.dtd"> %p;]>'
             b"<rss><channel><item><description>hi</description></item></channel></rss>")
EXTERNAL_DTD = (b'<?xml version="1.0"?><!DOCTYPE rss SYSTEM "file:///etc/passwd">'
                b"<rss><channel><item><description>Talks in Oman.</description></item></channel></rss>")


pytestmark = pytest.mark.usefixtures("no_network")  # see tests/conftest.py


def read(*sources, **kw):
    items = list(iter_articles(list(sources), **kw))
    return ([i for i in items if isinstance(i, Article)], [i for i in items if isinstance(i, ReadError)])


def test_parse_rss2():
    title, items = parse_feed(RSS)
    assert title == "World Wire" and len(items) == 3
    a = items[0]
    assert (a.title, a.link, a.guid, a.author) == ("Talks in Baku", "https://wire.example/a", "wire-1", "Ann Lee")
    assert a.published == "2025-06-02T10:00:00+00:00"
    assert strip_html(a.content) == "Leaders met in Baku & Tbilisi.\n\nMore talks."


def test_rss_file_items_as_articles_without_fetching(tmp_path):
    f = tmp_path / "wire.rss"
    f.write_bytes(RSS)
    arts, errs = read(f, limits=NO_FETCH)
    assert [a.id for a in arts] == ["wire-1", "https://wire.example/b"]
    assert arts[0].text == "Leaders met in Baku & Tbilisi.\n\nMore talks."  # content over description
    assert arts[1].text == "Floods in Chad & Niger."
    assert arts[0].source == "World Wire" and arts[0].path == f"{f}#1" and arts[0].url == "https://wire.example/a"
    assert errs == [ReadError(f"{f}#3", "no article text found")]


def test_atom_utf16_and_xhtml_content(tmp_path):
    f = tmp_path / "a.atom"
    f.write_bytes(ATOM)
    arts, errs = read(f, limits=NO_FETCH)
    assert errs == []
    e1, e2 = arts
    assert (e1.id, e1.url, e1.author, e1.published) == ("urn:e1", "https://a.example/e1", "Bo", "2025-01-02T03:04:05Z")
    assert e1.text == "Talks in Côte d'Ivoire"
    assert e2.text == "Peru and Chile." and e2.published == "2025-01-03" and e2.source == "Atom Wire"


def test_rdf_feed_sniffed_from_xml_extension(tmp_path):
    f = tmp_path / "r.xml"
    f.write_bytes(RDF)
    [a], errs = read(f, limits=NO_FETCH)
    assert errs == [] and (a.id, a.text, a.source, a.published) == (
        "https://r.example/1", "Votes in Mali.", "RDF Wire", "2025-02-03")


@pytest.mark.parametrize("doc", [BOMB, XXE, XXE_PARAM, BOMB.decode().encode("utf-16")])
def test_entity_declarations_refused(tmp_path, doc):
    f = tmp_path / "evil.rss"
    f.write_bytes(doc)
    arts, errs = read(f, limits=NO_FETCH)
    assert arts == []
    assert errs == [ReadError(str(f), "feed declares XML entities; refused "
                                      "(possible entity-expansion or XXE attack)")]
    with pytest.raises(ReadFailure, match="refused"):
        parse_feed(doc)


def test_external_dtd_not_loaded(tmp_path):
    f = tmp_path / "ext.xml"
    f.write_bytes(EXTERNAL_DTD)
    [a], errs = read(f, limits=NO_FETCH)
    assert errs == [] and a.text == "Talks in Oman." and "root:" not in a.text


def test_not_a_feed_and_broken_xml(tmp_path):
    sitemap = tmp_path / "sitemap.xml"
    sitemap.write_bytes(b'<?xml version="1.0"?><urlset><url><loc>x</loc></url></urlset>')
    broken = tmp_path / "broken.rss"
    broken.write_bytes(b"<rss><channel><item><description>Talks in Laos.</description></item>")
    deep = tmp_path / "deep.xml"
    deep.write_bytes(b"<rss>" + b"<x>" * 20000 + b"</x>" * 20000 + b"</rss>")
    empty = tmp_path / "none.rss"
    empty.write_bytes(b"<rss><channel><title>t</title></channel></rss>")
    arts, errs = read(sitemap, broken, deep, empty, limits=NO_FETCH)
    assert [a.text for a in arts] == ["Talks in Laos."]  # recovered
    assert [(e.path, e.reason.split(":")[0]) for e in errs] == [
        (str(sitemap), "XML is not an RSS or Atom feed (root element <urlset>)"),
        (str(deep), "feed XML nested too deeply (over 256 levels)"), (str(empty), "feed has no items")]


def test_html_entities_in_feed_are_recovered(tmp_path):
    f = tmp_path / "nbsp.rss"
    f.write_bytes(b"<rss><channel><item><title>A&nbsp;B</title><description>Talks in Fiji.</description>"
                  b"</item></channel></rss>")
    [a], errs = read(f, limits=NO_FETCH)
    assert errs == [] and a.text == "Talks in Fiji."


def test_max_feed_items(tmp_path):
    f = tmp_path / "many.rss"
    items = b"".join(b"<item><description>Item %d</description></item>" % i for i in range(10))
    f.write_bytes(b"<rss><channel>" + items + b"</channel></rss>")
    arts, errs = read(f, limits=Limits(fetch_links=False, max_feed_items=3))
    assert [a.text for a in arts] == ["Item 0", "Item 1", "Item 2"]
    assert errs == [ReadError(str(f), "feed has 10 items; only the first 3 are read")]


def test_item_link_fetch_refused_falls_back_to_description(tmp_path):
    f = tmp_path / "local.rss"
    f.write_bytes(b"<rss><channel><item><link>http://127.0.0.1:1/x</link><description>Talks in Togo."
                  b"</description></item><item><link>file:///etc/passwd</link></item></channel></rss>")
    arts, errs = read(f)  # fetching allowed but loopback and file: are refused
    assert [a.text for a in arts] == ["Talks in Togo."]
    assert errs[0].path == f"{f}#2"
    assert errs[0].reason == ("no article text found (link: unsupported URL scheme 'file' "
                              "(only http and https are fetched); no description)")


def test_strip_html_and_iso_date():
    assert strip_html("<div>a<br>b<style>x{}</style></div>") == "a\n\nb"
    assert strip_html("<p>unclosed <b>tag") == "unclosed tag"
    assert strip_html(None) == ""
    assert iso_date("Tue, 31 Dec 2024 23:00:00 +0100") == "2024-12-31T23:00:00+01:00"
    assert iso_date("31 Dec 2024 nonsense") == "31 Dec 2024 nonsense"
