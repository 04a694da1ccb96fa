"""References in a parsed file: calls, imports and inherited bases, each with its line and
the qualified name of the unit it sits in.

Python imports are read closely (aliases, `from M import f`, relative modules) so a call
can say which module its name came from; that is what lets the engine resolve `json.loads`
to `json/__init__.py` rather than to any `loads`. Other languages record their imports
by name and module path, and their calls by name.
"""
from __future__ import annotations

from bisect import bisect_right

from ingest.records import Reference

from .source import Source
from .symbols import DefNode

__all__ = ["find_references"]

_SELF = frozenset({"self", "this", "cls"})


def _flatten(roots: list[DefNode]) -> list[DefNode]:
    out: list[DefNode] = []
    todo = list(reversed(roots))
    while todo:
        d = todo.pop()
        out.append(d)
        todo.extend(reversed(d.children))
    return out


class _Scopes:
    """Innermost definition around a byte offset (definitions nest, so a stack sweep)."""

    def __init__(self, roots: list[DefNode]):
        self.defs = _flatten(roots)          # pre-order = sorted by start byte
        self.starts = [d.start_byte for d in self.defs]

    def at(self, pos: int) -> str | None:
        """The last definition starting at or before `pos` is the innermost one holding
        it, unless it already ended; then the holder, if any, is one of its ancestors."""
        i = bisect_right(self.starts, pos) - 1
        d = self.defs[i] if i >= 0 else None
        while d is not None and not (d.start_byte <= pos < d.end_byte):
            d = d.parent
        return d.qualname if d is not None else None


def _python_imports(s: Source, node) -> tuple[list[tuple[str, str, int]], dict[str, str]]:
    """([(name, module, row)], {local name: module}) for one import statement."""
    out: list[tuple[str, str, int]] = []
    local: dict[str, str] = {}
    if node.type == "import_statement":
        for item in node.children_by_field_name("name"):
            target = item.child_by_field_name("name") if item.type == "aliased_import" else item
            alias = item.child_by_field_name("alias") if item.type == "aliased_import" else None
            module = s.text(target)
            local[s.text(alias) if alias else module.split(".")[0]] = \
                module if alias else module.split(".")[0]
            out.append((module.rsplit(".", 1)[-1], module, target.start_point.row))
        return out, local
    mod_node = node.child_by_field_name("module_name")
    module = s.text(mod_node) if mod_node is not None else ""
    for item in node.children_by_field_name("name"):
        target = item.child_by_field_name("name") if item.type == "aliased_import" else item
        alias = item.child_by_field_name("alias") if item.type == "aliased_import" else None
        name = s.text(target)
        local[s.text(alias) if alias else name] = module
        out.append((name, module, target.start_point.row))
    return out, local


def _other_imports(s: Source, node) -> list[tuple[str, str, int]]:
    """(name, module, row) for JS/TS, C/C++, Go, Java and Rust import forms."""
    lang, row = s.language, node.start_point.row
    if lang in ("javascript", "typescript", "tsx"):
        src = node.child_by_field_name("source")
        module = s.text(src).strip("'\"`") if src is not None else ""
        names = []
        todo = list(node.named_children)
        while todo:
            n = todo.pop()
            if n.type == "import_specifier":
                names.append(n.child_by_field_name("name"))
            elif n.type == "import_clause":
                todo.extend(n.named_children)
                names += [c for c in n.named_children if c.type == "identifier"]
            elif n.type == "named_imports":
                todo.extend(n.named_children)
        return [(s.text(n), module, n.start_point.row) for n in names if n is not None] \
            or [(module.rsplit("/", 1)[-1], module, row)]
    if lang in ("c", "cpp"):
        path = node.child_by_field_name("path")
        module = s.text(path).strip('"<>') if path is not None else ""
        return [(module.rsplit("/", 1)[-1], module, row)]
    if lang == "go":
        path = node.child_by_field_name("path")
        module = s.text(path).strip('"`') if path is not None else ""
        return [(module.rsplit("/", 1)[-1], module, row)]
    text = s.text(node).strip().rstrip(";")
    for word in ("import", "static", "pub", "use"):
        text = text.removeprefix(word).strip()
    sep = "::" if lang == "rust" else "."
    if "{" in text:
        module, _, rest = text.partition("{")
        return [(n.strip().split(" as ")[0].rsplit(sep, 1)[-1], module.rstrip(":."), row)
                for n in rest.rstrip("}").split(",") if n.strip()]
    module, _, name = text.rpartition(sep)
    return [(name.split(" as ")[0].strip(), module, row)]


def find_references(s: Source, query, roots: list[DefNode]) -> list[Reference]:
    from tree_sitter import QueryCursor

    scopes = _Scopes(roots)
    refs: list[Reference] = []
    calls: list[tuple[str, int, int, object]] = []   # name, row, byte, receiver node
    local: dict[str, str] = {}
    seen: set[tuple[int, str]] = set()
    for _, caps in QueryCursor(query).matches(s.tree.root_node):
        if "import" in caps:
            node = caps["import"][0]
            if s.language == "python":
                found, names = _python_imports(s, node)
                local.update(names)
            else:
                found = _other_imports(s, node)
                local.update((name, module) for name, module, _ in found if module)
            scope = scopes.at(node.start_byte)
            for name, module, row in found:
                if name:
                    refs.append(Reference(name, "import", row + 1, scope, module or None,
                                          None, s.line(row)))
        elif "call" in caps:
            node, name = caps["call"][0], caps["name"][0]
            if (node.id, "call") in seen:
                continue
            seen.add((node.id, "call"))
            obj = caps.get("object", [None])[0]
            calls.append((s.text(name), node.start_point.row, node.start_byte, obj))
        elif "alias" in caps:
            # tree-sitter-python reads `type(obj).attr = v` as a PEP 695 alias statement;
            # Python reads it as a call of `type`, and so do we
            node = caps["alias"][0]
            if s.text(node).startswith("type("):
                calls.append(("type", node.start_point.row, node.start_byte, None))
        elif "inherit" in caps:
            name = caps["name"][0]
            if (name.id, "inherit") in seen:
                continue
            seen.add((name.id, "inherit"))
            refs.append(Reference(s.text(name), "inherit", name.start_point.row + 1,
                                  scopes.at(name.start_byte), None, None,
                                  s.line(name.start_point.row)))
    for name, row, pos, obj in calls:
        receiver = module = None
        if obj is not None:
            receiver = s.text(obj)
            if receiver in _SELF or obj.type in ("this", "self"):
                receiver = "self"
            else:
                head, _, rest = receiver.partition(".")
                if head in local and receiver.replace(".", "").replace("_", "").isalnum():
                    module = local[head] + ("." + rest if rest else "")
                if len(receiver) > 80:
                    receiver = receiver[:79] + "…"
        elif name in local:
            module = local[name]
        refs.append(Reference(name, "call", row + 1, scopes.at(pos), module, receiver,
                              s.line(row)))
    refs.sort(key=lambda r: r.line)
    return refs
