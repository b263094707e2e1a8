"""`hct.core.pdf.render_pdf`, the one way hct makes a PDF: it draws our own static files,
refuses every other URL a page names (the web, the server's files), and tags the PDF."""

import socket

import pytest
from weasyprint.urls import URLFetcher

from hct.core import pdf
from tests.pdf_checks import assert_tagged

PAGE = """<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>A test page</title>
<link rel="stylesheet" href="https://outside.example/style.css">
<link rel="stylesheet" href="file:///etc/passwd">
<style>@import url("http://169.254.169.254/latest/meta-data/"); body { font-size: 10pt }</style>
</head><body><h1>Hello</h1>
<img src="https://outside.example/pixel.png" alt="">
<img src="file:///etc/passwd" alt="">
<img src="/static/../../../../etc/passwd" alt="">
<img src="//outside.example/protocol-relative.png" alt="">
<img src="/static/hct/favicon.svg" alt="Our own badge">
<img alt="A dot" src="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8/5+hHgAHggJ/PchI7wAAAABJRU5ErkJggg==">
</body></html>"""


@pytest.fixture
def spied(monkeypatch):
    """Every URL WeasyPrint asks our fetcher for, and what reached urllib (only `data:`)."""
    asked, opened = [], []
    real_fetch, real_open = pdf._static_file, URLFetcher.fetch

    def static_file(url):
        found = real_fetch(url)
        asked.append((url, found))
        return found

    def base_fetch(self, url, headers=None):
        opened.append(url)
        return real_open(self, url, headers)

    def no_network(*args, **kwargs):
        raise AssertionError(f"a PDF opened a connection: {args[:1]}")

    monkeypatch.setattr(pdf, "_static_file", static_file)
    monkeypatch.setattr(URLFetcher, "fetch", base_fetch)
    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    return asked, opened


def test_outside_urls_and_server_files_are_refused_our_static_files_drawn(spied, settings):
    asked, opened = spied
    data = pdf.render_pdf(PAGE)
    reader = assert_tagged(data, title="A test page")
    # The outside and file URLs were asked for and refused; nothing but the inline image went
    # on to urllib, so nothing was fetched from the network or read from /etc.
    refused = {url for url, found in asked if found is None}
    assert {
        "https://outside.example/style.css",
        "file:///etc/passwd",
        "http://169.254.169.254/latest/meta-data/",
        "https://outside.example/pixel.png",
        "https://hct.invalid/etc/passwd",
        "https://outside.example/protocol-relative.png",
    } <= refused
    assert [url[:5] for url in opened] == ["data:"]
    content = b"".join(page.get_contents().get_data() for page in reader.pages)
    assert b"root:" not in data and b"root:" not in content
    # Our own badge was served from disk, and drawn with the inline dot.
    served = [url for url, found in asked if found]
    assert served == ["https://hct.invalid/static/hct/favicon.svg"]
    assert reader.pages[0]["/Resources"].get("/XObject")


def test_a_refused_url_is_refused_by_the_fetcher_itself():
    fetcher = pdf.url_fetcher()
    for url in (
        "https://outside.example/x.png",
        "http://hct.invalid.evil.example/static/hct/favicon.svg",
        "file:///etc/passwd",
        "https://hct.invalid/static/../settings.py",
        "https://hct.invalid/media/upload.png",
        "data:text/html,<script>1</script>",
        "ftp://outside.example/x",
    ):
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    served = fetcher.fetch("https://hct.invalid/static/hct/favicon.svg")
    assert served.content_type == "image/svg+xml" and b"<svg" in served.read()


def test_a_pdf_without_a_language_or_title_is_refused():
    with pytest.raises(ValueError, match="language"):
        pdf.render_pdf("<html><head><title>T</title></head><body>x</body></html>")
    with pytest.raises(ValueError, match="title"):
        pdf.render_pdf('<html lang="en-GB"><body>x</body></html>')
    data = pdf.render_pdf('<html lang="en-GB"><body>x</body></html>', title="Given")
    assert_tagged(data, title="Given")
