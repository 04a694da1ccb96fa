"""Syntax colouring for code in the viewer: Pygments tokens mapped onto QTextCharFormats.

Lexing is per line (QSyntaxHighlighter's unit), which is exact for most tokens and close
enough for multi-line strings in a viewer that is about locating lines, not editing them.
"""
from __future__ import annotations

from pygments.lexers import get_lexer_for_filename
from pygments.token import Comment, Keyword, Name, Number, Operator, String, Token
from pygments.util import ClassNotFound
from PySide6.QtGui import QColor, QFont, QSyntaxHighlighter, QTextCharFormat, QTextDocument

__all__ = ["CodeHighlighter", "lexer_for"]


def _fmt(color: str, bold: bool = False, italic: bool = False) -> QTextCharFormat:
    f = QTextCharFormat()
    f.setForeground(QColor(color))
    if bold:
        f.setFontWeight(QFont.Bold)
    f.setFontItalic(italic)
    return f


_STYLE = [
    (Comment, _fmt("#6a737d", italic=True)),
    (Keyword, _fmt("#d73a49", bold=True)),
    (String, _fmt("#032f62")),
    (Number, _fmt("#005cc5")),
    (Name.Function, _fmt("#6f42c1")),
    (Name.Class, _fmt("#6f42c1", bold=True)),
    (Name.Builtin, _fmt("#005cc5")),
    (Name.Decorator, _fmt("#e36209")),
    (Operator, _fmt("#d73a49")),
]


def lexer_for(path: str):
    try:
        return get_lexer_for_filename(path, stripnl=False, ensurenl=False)
    except ClassNotFound:
        return None


class CodeHighlighter(QSyntaxHighlighter):
    def __init__(self, document: QTextDocument, lexer):
        super().__init__(document)
        self.lexer = lexer

    def highlightBlock(self, text: str) -> None:
        pos = 0
        for ttype, value in self.lexer.get_tokens(text):
            fmt = _format_of(ttype)
            if fmt is not None:
                self.setFormat(pos, len(value), fmt)
            pos += len(value)


def _format_of(ttype) -> QTextCharFormat | None:
    while ttype is not Token:
        for kind, fmt in _STYLE:
            if ttype is kind:
                return fmt
        ttype = ttype.parent
    return None
