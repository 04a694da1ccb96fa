"""A parsed source file: bytes, lines and tree, with the helpers every pass needs."""
from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Source", "node_text"]


def node_text(src: bytes, node) -> str:
    return src[node.start_byte:node.end_byte].decode("utf-8", "replace")


@dataclass
class Source:
    language: str
    src: bytes              # the file's bytes, as tree-sitter saw them
    lines: list[str]        # split on "\n" only, like tree-sitter's rows
    tree: object            # tree_sitter.Tree

    def text(self, node) -> str:
        return node_text(self.src, node)

    def line(self, row: int, limit: int = 200) -> str:
        """Row's source line, stripped and shortened for display."""
        s = self.lines[row].strip() if 0 <= row < len(self.lines) else ""
        return s if len(s) <= limit else s[:limit - 1] + "…"
