"""What every PDF hct makes must be: tagged for screen readers (PDF/UA), with a title and a
language, read back the way an auditor would, with pypdf."""

import io

from pypdf import PdfReader


def assert_tagged(data: bytes, *, title: str, lang: str = "en-GB") -> PdfReader:
    reader = PdfReader(io.BytesIO(data))
    catalog = reader.trailer["/Root"]
    assert "/StructTreeRoot" in catalog, "no structure tree: a screen reader sees no headings"
    assert catalog["/MarkInfo"]["/Marked"].value is True
    assert catalog["/Lang"] == lang
    assert reader.metadata.title == title
    return reader
