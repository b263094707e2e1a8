"""Every PDF hct makes goes through `render_pdf`: tagged for screen readers (PDF/UA-1, with the
page's title and language) and fetching nothing from outside.

WeasyPrint's own fetcher follows any URL a page names: http(s) (a request from the server to
wherever a typed link points), file:// (any file the process can read, e.g. /etc/passwd drawn
into a report) and redirects. Ours serves only hct's own static files, read from disk through
Django's staticfiles finders, and inline `data:` images; everything else is refused, so a PDF
never reaches the network or the file system beyond our static files.
"""

import mimetypes
import posixpath
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders

# The origin relative URLs in a page resolve against. `.invalid` never resolves (RFC 6761), so
# even a fetcher bug could not send a request to it; ours answers for it from disk.
OWN_ORIGIN = "https://hct.invalid"
PDF_VARIANT = "pdf/ua-1"
DATA_TYPES = ("image/png", "image/jpeg", "image/gif", "image/svg+xml", "image/webp")


class RefusedFetch(ValueError):
    """A PDF asked for something that is not one of our static files."""


def _static_file(url: str) -> str | None:
    """The file on disk that our own static URL names, else None."""
    parts = urlsplit(url)
    if f"{parts.scheme}://{parts.netloc}" != OWN_ORIGIN:
        return None
    prefix = settings.STATIC_URL if settings.STATIC_URL.startswith("/") else "/static/"
    if not parts.path.startswith(prefix):
        return None
    name = posixpath.normpath(unquote(parts.path[len(prefix) :]))
    if name.startswith(("..", "/")) or name == ".":
        return None
    found = finders.find(name)
    if isinstance(found, list):
        found = found[0] if found else None
    if found:
        return found
    # In production `{% static %}` names the collected, hashed copy in STATIC_ROOT.
    root = Path(settings.STATIC_ROOT).resolve()
    collected = (root / name).resolve()
    return str(collected) if collected.is_relative_to(root) and collected.is_file() else None


def _data_url(url: str) -> bool:
    kind = url[5:].split(",", 1)[0].split(";", 1)[0].strip().lower()
    return kind in DATA_TYPES


def url_fetcher():
    """A WeasyPrint fetcher that serves our static files and inline images, and refuses
    everything else (WeasyPrint then leaves the resource out and goes on)."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class OwnFilesOnly(URLFetcher):
        def fetch(self, url, headers=None):
            if url[:5].lower() == "data:" and _data_url(url):
                return super().fetch(url, headers)  # inline: decoded, never fetched
            path = _static_file(url)
            if path is None:
                raise RefusedFetch(f"a PDF fetches only hct's own static files: {url[:80]}")
            kind = mimetypes.guess_type(path)[0] or "application/octet-stream"
            with open(path, "rb") as file:
                body = file.read()
            return URLFetcherResponse(url, body, {"Content-Type": kind})

    return OwnFilesOnly(allowed_protocols=("data",), allow_redirects=False)


def render_pdf(html: str, *, base_url: str = OWN_ORIGIN + "/", title: str | None = None) -> bytes:
    """The page as a tagged PDF (PDF/UA-1). Its title is `title` if given, else the page's
    <title>; its language is the page's <html lang>, which every PDF must have."""
    import weasyprint

    page = weasyprint.HTML(string=html, base_url=base_url, url_fetcher=url_fetcher())
    document = page.render(pdf_variant=PDF_VARIANT)
    if title:
        document.metadata.title = title
    if not document.metadata.title or not document.metadata.lang:
        raise ValueError("A PDF needs a title and a language (<title> and <html lang>)")
    return document.write_pdf(pdf_variant=PDF_VARIANT)
