"""Generators of small real documents for tests.

Tests build their own PDFs and EPUBs so every expected page, label and section is known
exactly; engine tests reuse these (`from tests.makers import make_pdf, make_epub`).
"""
from __future__ import annotations

import html
import zipfile
from pathlib import Path
from typing import Any, Sequence

import pymupdf

__all__ = ["make_pdf", "make_epub", "PAGE_W", "PAGE_H", "MARGIN"]

PAGE_W, PAGE_H, MARGIN = 595.0, 842.0, 72.0  # A4 in points
_GAP = 8.0  # vertical space between items on a page


def make_pdf(
    path: str | Path,
    pages: Sequence[Sequence[tuple[str, float]]],
    toc: Sequence[Sequence[Any]] | None = None,
    labels: Sequence[dict] | None = None,
    *,
    password: str | None = None,
    title: str | None = None,
) -> Path:
    """Write a text PDF and return its path.

    pages: one list per page of `(text, font_size)` items, laid out top-down as wrapped
        text boxes (an item becomes one text block; "\\n" forces a line break).
    toc: outline rows `[level, title, page]` (page 1-based) or `[level, title, page, y]`
        with `y` the destination's top coordinate on that page.
    labels: page-label rules in PyMuPDF's form, e.g.
        `[{"startpage": 0, "style": "r", "firstpagenum": 1},
          {"startpage": 2, "style": "D", "firstpagenum": 1}]` (roman, then arabic).
    password: when given, the file is AES-256 encrypted with this user password.
    Raises ValueError when an item does not fit on its page, so a test never silently
    writes a truncated page.
    """
    doc = pymupdf.open()
    for items in pages:
        page = doc.new_page(width=PAGE_W, height=PAGE_H)
        y = MARGIN
        for text, size in items:
            rect = pymupdf.Rect(MARGIN, y, PAGE_W - MARGIN, PAGE_H - MARGIN)
            spare = page.insert_textbox(rect, text, fontsize=size, fontname="helv")
            if spare < 0:
                raise ValueError(f"item does not fit on page {page.number + 1}: {text[:40]!r}")
            y += rect.height - spare + _GAP
    if toc:
        rows = []
        for row in toc:
            level, name, pno = row[0], row[1], row[2]
            if len(row) > 3:
                dest = {"kind": pymupdf.LINK_GOTO, "page": pno - 1,
                        "to": pymupdf.Point(MARGIN, float(row[3]))}
                rows.append([level, name, pno, dest])
            else:
                rows.append([level, name, pno])
        doc.set_toc(rows)
    if labels:
        doc.set_page_labels(list(labels))
    if title:
        doc.set_metadata({"title": title})
    path = Path(path)
    if password is None:
        doc.save(path)
    else:
        doc.save(path, encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw=password,
                 owner_pw=password + "-owner")
    doc.close()
    return path


_CONTAINER = """<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles>
    <rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>
  </rootfiles>
</container>
"""


def _chapter_xhtml(title: str, body: str) -> str:
    paras = "\n".join(f"<p>{html.escape(p.strip())}</p>"
                      for p in body.split("\n\n") if p.strip())
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops">
<head><title>{html.escape(title)}</title></head>
<body>
<h1>{html.escape(title)}</h1>
{paras}
</body>
</html>
"""


def make_epub(
    path: str | Path,
    chapters: Sequence[tuple[str, str]],
    *,
    title: str = "A Generated Book",
    toc: bool = True,
) -> Path:
    """Write a minimal valid EPUB 3 (with an EPUB 2 NCX) and return its path.

    chapters: `(chapter title, body)` pairs; each chapter is one XHTML file with the title
        as <h1> and the body split into <p> paragraphs at blank lines.
    toc: when False the nav document and NCX list no chapters, so readers must fall back
        to the chapter headings themselves.
    The mimetype entry is stored first and uncompressed, as the EPUB spec requires.
    """
    path = Path(path)
    names = [f"ch{i + 1}.xhtml" for i in range(len(chapters))]
    manifest = "\n".join(
        f'<item id="c{i + 1}" href="{n}" media-type="application/xhtml+xml"/>'
        for i, n in enumerate(names))
    spine = "\n".join(f'<itemref idref="c{i + 1}"/>' for i in range(len(names)))
    entries = [(n, t) for n, (t, _) in zip(names, chapters)] if toc else []
    nav_items = "\n".join(f'<li><a href="{n}">{html.escape(t)}</a></li>' for n, t in entries)
    ncx_points = "\n".join(
        f'<navPoint id="n{i + 1}" playOrder="{i + 1}"><navLabel><text>{html.escape(t)}'
        f'</text></navLabel><content src="{n}"/></navPoint>' for i, (n, t) in enumerate(entries))
    opf = f"""<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="uid">
  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
    <dc:identifier id="uid">urn:uuid:00000000-0000-0000-0000-000000000001</dc:identifier>
    <dc:title>{html.escape(title)}</dc:title>
    <dc:language>en</dc:language>
    <meta property="dcterms:modified">2024-01-01T00:00:00Z</meta>
  </metadata>
  <manifest>
    <item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>
    <item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>
{manifest}
  </manifest>
  <spine toc="ncx">
{spine}
  </spine>
</package>
"""
    nav = f"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops">
<head><title>Contents</title></head>
<body><nav epub:type="toc"><ol>
{nav_items}
</ol></nav></body>
</html>
"""
    ncx = f"""<?xml version="1.0" encoding="UTF-8"?>
<ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1">
<head><meta name="dtb:uid" content="urn:uuid:00000000-0000-0000-0000-000000000001"/></head>
<docTitle><text>{html.escape(title)}</text></docTitle>
<navMap>
{ncx_points}
</navMap>
</ncx>
"""
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip",
                   compress_type=zipfile.ZIP_STORED)
        z.writestr("META-INF/container.xml", _CONTAINER, compress_type=zipfile.ZIP_DEFLATED)
        z.writestr("OEBPS/content.opf", opf, compress_type=zipfile.ZIP_DEFLATED)
        z.writestr("OEBPS/nav.xhtml", nav, compress_type=zipfile.ZIP_DEFLATED)
        z.writestr("OEBPS/toc.ncx", ncx, compress_type=zipfile.ZIP_DEFLATED)
        for n, (t, body) in zip(names, chapters):
            z.writestr(f"OEBPS/{n}", _chapter_xhtml(t, body), compress_type=zipfile.ZIP_DEFLATED)
    return path


def with_ncx_link_not_utf8(src: Path, dst: Path) -> Path:
    """A copy of the EPUB `src` whose table-of-contents link to ch2 is not UTF-8 (a fuzz
    finding: PyMuPDF printed a traceback on stdout for it)."""
    with zipfile.ZipFile(src) as old, zipfile.ZipFile(dst, "w") as new:
        for info in old.infolist():
            data = old.read(info)
            if info.filename.endswith("toc.ncx"):
                data = data.replace(b'src="ch2.xhtml"', b'src="\xc8.xhtml"')
            new.writestr(info, data)
    return dst


def add_encryption(epub: Path, algorithm: str) -> Path:
    """Append a META-INF/encryption.xml naming `algorithm` (DRM, or font obfuscation)."""
    with zipfile.ZipFile(epub, "a") as z:
        z.writestr("META-INF/encryption.xml",
                   f'<encryption><EncryptedData><EncryptionMethod Algorithm="{algorithm}"/>'
                   '</EncryptedData></encryption>')
    return epub
