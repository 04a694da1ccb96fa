"""Prose readers (plain text, Markdown, PDF, EPUB) sharing one paragraph chunker."""
from __future__ import annotations

from .chunker import Mark, Para, chunk_paragraphs
from .epub import open_epub
from .markdown import open_markdown
from .pdf import open_pdf
from .text import open_text

__all__ = ["open_text", "open_markdown", "open_pdf", "open_epub", "Para", "Mark",
           "chunk_paragraphs"]
