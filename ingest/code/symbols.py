"""Definitions in a parsed file: name, qualified name, kind and the span a unit covers.

Nesting is recovered from byte ranges (a definition inside another's range is its child),
which works the same for every grammar; a span is widened over decorators, `export`,
the declaration that holds an arrow function, and the comment block just above, because
that is what a reader expects to see with the function.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.records import Definition

from .source import Source

__all__ = ["DefNode", "find_definitions"]

_COMMENTS = frozenset({"comment", "line_comment", "block_comment", "attribute_item",
                       "decorator", "annotation", "marker_annotation"})
# Parents that belong to a definition's span when the definition is their only content.
_WRAPPERS = frozenset({"decorated_definition", "export_statement", "lexical_declaration",
                       "variable_declaration", "type_declaration", "template_declaration"})
_NAME_LEAVES = frozenset({"identifier", "field_identifier", "qualified_identifier",
                          "destructor_name", "operator_name", "type_identifier"})
_CONTAINERS = frozenset({"class", "impl", "namespace"})


@dataclass
class DefNode:
    node: object
    name: str
    kind: str
    qualname: str = ""
    start: int = 0                  # 0-based rows, inclusive, span widened as above
    end: int = 0
    children: list["DefNode"] = field(default_factory=list)
    parent: "DefNode | None" = None

    @property
    def start_byte(self) -> int:
        return self.node.start_byte

    @property
    def end_byte(self) -> int:
        return self.node.end_byte


def _declarator_name(s: Source, node) -> str | None:
    """C/C++: the function's name under pointer/reference/function declarators."""
    d = node.child_by_field_name("declarator")
    for _ in range(8):
        if d is None:
            return None
        if d.type in _NAME_LEAVES:
            return s.text(d)
        d = d.child_by_field_name("declarator") or (d.named_children[0] if d.named_children else None)
    return None


def _clean_name(raw: str, kind: str) -> tuple[str, str]:
    """(name, qualifier prefix): 'Foo::bar' -> ('bar', 'Foo'); 'Vec<T>' -> ('Vec', '')."""
    raw = raw.split("<", 1)[0].strip().lstrip("&*")
    if "::" in raw and kind != "impl":
        prefix, _, name = raw.rpartition("::")
        return name, prefix.replace("::", ".")
    return raw.rsplit("::", 1)[-1], ""


def _go_receiver(s: Source, node) -> str:
    recv = node.child_by_field_name("receiver")
    if recv is None:
        return ""
    for p in recv.named_children:
        t = p.child_by_field_name("type")
        if t is not None:
            return s.text(t).lstrip("*").split("[", 1)[0].strip()
    return ""


def _span(s: Source, node) -> tuple[int, int]:
    outer = node
    while outer.parent is not None and outer.parent.type in _WRAPPERS and sum(
            1 for c in outer.parent.named_children
            if c.type not in _COMMENTS and c.type != "template_parameter_list") == 1:
        outer = outer.parent
    start = outer.start_point.row
    prev = outer.prev_named_sibling
    while prev is not None and prev.type in _COMMENTS and prev.end_point.row >= start - 1 \
            and prev.end_point.row < start:
        start = prev.start_point.row
        prev = prev.prev_named_sibling
    return start, outer.end_point.row


# A string literal's prefix and quotes. Stripping them as a set of characters also ate the
# docstring's own edge letters: "Returns …" became "eturns …".
_STRING_EDGES = re.compile(r"^[rRbBuUfF]{0,2}(?:\"\"\"|'''|\"|')|(?:\"\"\"|'''|\"|')\s*$")


def _docstring(s: Source, d: DefNode, start_row: int) -> str:
    body = d.node.child_by_field_name("body")
    if body is not None and body.named_children:
        first = body.named_children[0]
        if first.type == "expression_statement" and first.named_children \
                and first.named_children[0].type == "string":
            text = _STRING_EDGES.sub("", s.text(first.named_children[0]))
            return next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
    node_row = d.node.start_point.row
    for row in range(start_row, node_row):
        ln = s.lines[row].strip().lstrip("/#*!").removesuffix("*/").strip()
        if ln and not ln.startswith("@"):
            return ln[:200]
    return ""


def _signature(s: Source, node) -> str:
    body = node.child_by_field_name("body")
    end = body.start_byte if body is not None else node.end_byte
    head = s.src[node.start_byte:end].decode("utf-8", "replace")
    head = " ".join(head.split()).rstrip("{: ")
    return head if len(head) <= 200 else head[:199] + "…"


def find_definitions(s: Source, query) -> tuple[list[DefNode], list[Definition]]:
    """(top-level definition tree, flat Definition records in file order)."""
    from tree_sitter import QueryCursor

    found: dict[int, DefNode] = {}
    for _, caps in QueryCursor(query).matches(s.tree.root_node):
        kind = next((k[4:] for k in caps if k.startswith("def.")), None)
        if kind is None:
            continue
        node = caps["def." + kind][0]
        if node.id in found:
            continue
        raw = s.text(caps["name"][0]) if "name" in caps else _declarator_name(s, node)
        if not raw:
            continue
        name, prefix = _clean_name(raw, kind)
        if node.type == "method_declaration" and s.language == "go":
            prefix = _go_receiver(s, node)
        d = DefNode(node, name, kind, qualname=prefix)
        d.start, d.end = _span(s, node)
        found[node.id] = d
    defs = sorted(found.values(), key=lambda d: (d.start_byte, -d.end_byte))
    roots: list[DefNode] = []
    stack: list[DefNode] = []
    records: list[Definition] = []
    for d in defs:
        while stack and stack[-1].end_byte <= d.start_byte:
            stack.pop()
        parent = stack[-1] if stack else None
        d.parent = parent
        prefix = d.qualname
        outer = parent.qualname if parent else ""
        d.qualname = ".".join(p for p in (outer, prefix, d.name) if p)
        if d.kind == "function" and (prefix or (parent and parent.kind in ("class", "impl"))):
            d.kind = "method"
        if parent is not None:
            d.start = max(d.start, parent.start)
            parent.children.append(d)
        else:
            roots.append(d)
        stack.append(d)
        if d.kind != "impl":
            records.append(Definition(d.name, d.qualname, d.kind, d.start + 1, d.end + 1,
                                      _signature(s, d.node), _docstring(s, d, d.start)))
    return roots, records
