"""Code ingest on real source files in eight languages: units, qualified names, exact line
spans, definitions and references (calls, imports, inheritance) with their scopes."""
from __future__ import annotations

import pytest

from ingest import IngestError, estimate_tokens, open_document
from ingest.errors import Skipped

from .conftest import read_all

PYTHON = '''\
"""Module docstring."""
import os.path as osp
from .policy import decide, Budget as B

LIMIT = 3


# Retry until the policy says stop.
@cached
def retry(call, attempts=LIMIT):
    """Call `call` until it works."""
    for n in range(attempts):
        if decide(n):
            return call()
    return osp.join("a", "b")


class Client(Base, mixins.Logged):
    timeout = 5

    def send(self, payload):
        self.connect()
        return retry(lambda: payload)

    def connect(self):
        def inner():
            return B()
        return inner()


if __name__ == "__main__":
    retry(print)
'''


def _spans(chunks):
    return [(c.location.line_start, c.location.line_end, c.location.symbol) for c in chunks]


def test_python_units_names_and_spans(write):
    doc, chunks = read_all(write("client.py", PYTHON), budget=80)
    assert doc.modality == "code" and doc.unit_name == "line" and doc.units == 32
    assert _spans(chunks) == [
        (1, 5, None),                 # docstring, imports, constant: module-level unit
        (8, 15, "retry"),             # leading comment and decorator belong to the function
        (18, 28, "Client"),           # a class that fits is one unit, methods included
        (31, 32, None),
    ]
    _, small = read_all(write("client.py", PYTHON), budget=45)
    assert [s for s in _spans(small) if (s[2] or "").startswith("Client")] == [
        (18, 19, "Client"),           # over budget: the class header and attributes...
        (21, 23, "Client.send"),      # ...then one unit per method
        (25, 28, "Client.connect"),
    ]
    assert "def retry" in chunks[1].text and chunks[1].text.startswith("# Retry until")
    defs = {d.qualname: d for d in doc.definitions}
    assert list(defs) == ["retry", "Client", "Client.send", "Client.connect",
                          "Client.connect.inner"]
    assert (defs["retry"].kind, defs["retry"].line_start, defs["retry"].line_end) == ("function", 8, 15)
    assert defs["retry"].signature == "def retry(call, attempts=LIMIT)"
    assert defs["retry"].doc == "Call `call` until it works."
    assert defs["Client.send"].kind == "method" and defs["Client"].kind == "class"
    assert defs["Client.connect.inner"].kind == "function"


def test_python_references_scopes_and_imports(write):
    doc, _ = read_all(write("client.py", PYTHON))
    refs = {(r.name, r.kind, r.line): r for r in doc.references}
    assert refs[("path", "import", 2)].module == "os.path"
    assert refs[("decide", "import", 3)].module == ".policy"
    assert refs[("Budget", "import", 3)].module == ".policy"
    assert refs[("decide", "call", 13)].scope == "retry"
    assert refs[("decide", "call", 13)].module == ".policy"     # known from the import
    assert refs[("join", "call", 15)].module == "os.path"       # through the alias osp
    assert refs[("Base", "inherit", 18)].scope == "Client"
    assert ("Logged", "inherit", 18) in refs
    assert refs[("connect", "call", 22)].receiver == "self"
    assert refs[("connect", "call", 22)].scope == "Client.send"
    assert refs[("retry", "call", 23)].scope == "Client.send"
    assert refs[("B", "call", 27)].scope == "Client.connect.inner"
    assert refs[("retry", "call", 32)].scope is None
    assert refs[("retry", "call", 32)].text == "retry(print)"


def test_a_function_over_budget_is_split_at_statements_and_keeps_its_name(write):
    body = "\n".join(f"    total = total + compute_step_{i}(total, factor={i})" for i in range(40))
    src = f"def long_one(total):\n{body}\n    return total\n"
    doc, chunks = read_all(write("long.py", src), budget=80)
    assert len(chunks) > 3
    assert all(c.location.symbol == "long_one" for c in chunks)
    assert chunks[0].location.line_start == 1 and chunks[-1].location.line_end == 42
    for a, b in zip(chunks, chunks[1:]):          # contiguous, no line lost or repeated
        assert b.location.line_start == a.location.line_end + 1
    assert all(estimate_tokens(c.text) <= 80 for c in chunks)
    assert doc.definitions[0].line_end == 42


JS = '''\
import { parse as p, render } from "./view.js";
import Store from "./store.js";

export class Editor extends Base {
  open(path) {
    const text = this.load(path);
    return render(p(text));
  }
}

export const save = (doc) => {
  return new Store().put(doc);
};
'''


def test_javascript(write):
    doc, chunks = read_all(write("editor.js", JS))
    defs = {d.qualname: (d.kind, d.line_start, d.line_end) for d in doc.definitions}
    assert defs == {"Editor": ("class", 4, 9), "Editor.open": ("method", 5, 8),
                    "save": ("function", 11, 13)}
    assert _spans(chunks) == [(1, 2, None), (4, 9, "Editor"), (11, 13, "save")]
    refs = {(r.name, r.kind, r.line, r.scope) for r in doc.references}
    assert {("parse", "import", 1, None), ("render", "import", 1, None),
            ("Store", "import", 2, None), ("Base", "inherit", 4, "Editor"),
            ("load", "call", 6, "Editor.open"), ("render", "call", 7, "Editor.open"),
            ("p", "call", 7, "Editor.open"), ("Store", "call", 12, "save"),
            ("put", "call", 12, "save")} <= refs
    assert next(r for r in doc.references if r.name == "load").receiver == "self"


TS = '''\
interface Shape { area(): number }

export class Circle implements Shape {
  constructor(private r: number) {}
  area(): number {
    return Math.PI * square(this.r);
  }
}

function square(x: number): number { return x * x; }
'''


def test_typescript_and_tsx(write):
    doc, _ = read_all(write("shapes.ts", TS))
    defs = {d.qualname: (d.kind, d.line_start, d.line_end) for d in doc.definitions}
    assert defs["Shape"] == ("class", 1, 1)
    assert defs["Circle.area"] == ("method", 5, 7)
    assert defs["square"] == ("function", 10, 10)
    refs = {(r.name, r.kind, r.line, r.scope) for r in doc.references}
    assert ("Shape", "inherit", 3, "Circle") in refs
    assert ("square", "call", 6, "Circle.area") in refs
    tsx, _ = read_all(write("view.tsx", "export function View() {\n  return <div>{label(1)}</div>;\n}\n"))
    assert [d.qualname for d in tsx.definitions] == ["View"]
    assert [(r.name, r.line, r.scope) for r in tsx.references] == [("label", 2, "View")]


GO = '''\
package server

import (
	"fmt"
	"net/http"
)

type Server struct {
	addr string
}

// Start listens on the address.
func (s *Server) Start() error {
	fmt.Println("listening")
	return http.ListenAndServe(s.addr, nil)
}

func New(addr string) *Server {
	return &Server{addr: addr}
}
'''


def test_go(write):
    doc, chunks = read_all(write("server.go", GO))
    defs = {d.qualname: (d.kind, d.line_start, d.line_end) for d in doc.definitions}
    assert defs == {"Server": ("class", 8, 10), "Server.Start": ("method", 12, 16),
                    "New": ("function", 18, 20)}
    assert ("Server.Start", 12, 16) in [(c.location.symbol, c.location.line_start,
                                         c.location.line_end) for c in chunks]
    refs = {(r.name, r.kind, r.line, r.scope) for r in doc.references}
    assert {("fmt", "import", 4, None), ("http", "import", 5, None),
            ("Println", "call", 14, "Server.Start"),
            ("ListenAndServe", "call", 15, "Server.Start")} <= refs


RUST = '''\
use std::collections::{HashMap, HashSet};

pub struct Cache {
    map: HashMap<String, u32>,
}

impl Cache {
    pub fn get(&self, key: &str) -> Option<u32> {
        self.lookup(key).or_else(|| fallback(key))
    }

    fn lookup(&self, key: &str) -> Option<u32> {
        self.map.get(key).copied()
    }
}

fn fallback(_key: &str) -> Option<u32> {
    None
}
'''


def test_rust(write):
    doc, _ = read_all(write("cache.rs", RUST))
    defs = {d.qualname: (d.kind, d.line_start, d.line_end) for d in doc.definitions}
    assert defs == {"Cache": ("class", 3, 5), "Cache.get": ("method", 8, 10),
                    "Cache.lookup": ("method", 12, 14), "fallback": ("function", 17, 19)}
    refs = {(r.name, r.kind, r.line, r.scope) for r in doc.references}
    assert {("HashMap", "import", 1, None), ("HashSet", "import", 1, None),
            ("lookup", "call", 9, "Cache.get"), ("fallback", "call", 9, "Cache.get"),
            ("get", "call", 13, "Cache.lookup")} <= refs


JAVA = '''\
package shop;

import java.util.List;

public class Cart extends Basket implements Priced {
    /** Sum of the prices. */
    public int total(List<Item> items) {
        int sum = 0;
        for (Item i : items) sum += i.price();
        return applyDiscount(sum);
    }

    private int applyDiscount(int sum) { return new Discount().apply(sum); }
}
'''


def test_java(write):
    doc, chunks = read_all(write("Cart.java", JAVA))
    defs = {d.qualname: (d.kind, d.line_start, d.line_end) for d in doc.definitions}
    assert defs == {"Cart": ("class", 5, 14), "Cart.total": ("method", 6, 11),
                    "Cart.applyDiscount": ("method", 13, 13)}
    assert next(d for d in doc.definitions if d.name == "total").doc == "Sum of the prices."
    refs = {(r.name, r.kind, r.line, r.scope) for r in doc.references}
    assert {("List", "import", 3, None), ("Basket", "inherit", 5, "Cart"),
            ("Priced", "inherit", 5, "Cart"), ("price", "call", 9, "Cart.total"),
            ("applyDiscount", "call", 10, "Cart.total"), ("Discount", "call", 13, "Cart.applyDiscount"),
            ("apply", "call", 13, "Cart.applyDiscount")} <= refs


C_SRC = '''\
#include <stdio.h>
#include "list.h"

struct node {
    int value;
};

static int *find(struct node *n, int v) {
    return lookup(n, v) ? &n->value : NULL;
}

int main(void) {
    printf("%d\\n", *find(0, 1));
    return 0;
}
'''

CPP = '''\
#include "shape.hpp"

namespace geo {
class Square : public Shape {
 public:
  double area() const;
};
}

double geo::Square::area() const {
  return std::pow(side(), 2);
}
'''


def test_c_and_cpp(write):
    doc, _ = read_all(write("list.c", C_SRC))
    defs = {d.qualname: (d.kind, d.line_start, d.line_end) for d in doc.definitions}
    assert defs == {"node": ("class", 4, 6), "find": ("function", 8, 10),
                    "main": ("function", 12, 15)}
    refs = {(r.name, r.kind, r.line, r.scope) for r in doc.references}
    assert {("stdio.h", "import", 1, None), ("list.h", "import", 2, None),
            ("lookup", "call", 9, "find"), ("printf", "call", 13, "main"),
            ("find", "call", 13, "main")} <= refs
    cpp, _ = read_all(write("square.cpp", CPP))
    defs = {d.qualname: (d.kind, d.line_start, d.line_end) for d in cpp.definitions}
    assert defs["geo"] == ("namespace", 3, 8)
    assert defs["geo.Square"] == ("class", 4, 7)
    assert defs["geo.Square.area"] == ("method", 10, 12)
    refs = {(r.name, r.kind, r.line, r.scope) for r in cpp.references}
    assert {("Shape", "inherit", 4, "geo.Square"), ("pow", "call", 11, "geo.Square.area"),
            ("side", "call", 11, "geo.Square.area")} <= refs


def test_language_by_shebang(write):
    p = write("deploy", "#!/usr/bin/env python3\ndef main():\n    run()\n")
    from ingest import walk
    assert list(walk([p])) == [p.resolve()]          # an explicit script is accepted too
    doc, chunks = read_all(p)
    assert doc.modality == "code" and [d.name for d in doc.definitions] == ["main"]
    q = write("notes", "just some words\n")
    with pytest.raises(IngestError, match="without an extension are not supported"):
        open_document(q)


def test_syntax_errors_still_index_with_a_warning(write):
    doc, chunks = read_all(write("broken.py", "def ok():\n    return 1\n\ndef bad(:\n    pass\n"))
    assert chunks and "\n".join(c.text for c in chunks).count("def") == 2
    assert any("syntax errors near line 4" in w for w in doc.warnings)
    assert "ok" in [d.name for d in doc.definitions]


@pytest.mark.parametrize("name,content,reason", [
    ("bundle.js", "var a=1;" * 2000, "minified or generated (a line of 16,000 characters)"),
    ("table.py", ("x = [" + "1, " * 120 + "]\n") * 60, "minified (its lines average"),
    ("latin.py", "name = 'caf\xe9'\n".encode("latin-1"), "not valid UTF-8 (byte 0xe9 at offset 11)"),
    ("blob.c", b"int x;\x00\x01\x02", "binary"),
    ("empty.go", b"", "the file is empty"),
], ids=["minified", "generated", "invalid-utf8", "binary", "empty"])
def test_bad_code_is_skipped_with_a_reason(write, name, content, reason):
    with pytest.raises(Skipped) as e:
        list(open_document(write(name, content)).chunks)
    assert reason in e.value.reason and e.value.path.endswith(name)


def test_source_over_the_size_limit_is_skipped(write):
    with pytest.raises(Skipped, match=r"over the 100 bytes limit for source code"):
        open_document(write("big.py", "x = 1\n" * 40), max_bytes=100)


@pytest.mark.parametrize("line", ["", "    x = 1", "def configuration_manager(self):",
                                  "naïve_ünïcode_identifiers = «quoted» + 3.14",
                                  "a" * 30 + "(" + "b" * 17 + ")"])
def test_unit_sizing_matches_the_token_estimate(line):
    from ingest.code.units import _line_cost
    assert _line_cost(line) == estimate_tokens(line)


def test_type_call_that_the_grammar_reads_as_an_alias_is_still_a_call(write):
    doc, _ = read_all(write("t.py", "class A:\n    def f(self):\n        type(self).count = 1\n"
                                    "type Alias = int\n"))
    assert [(r.name, r.kind, r.line, r.scope) for r in doc.references] == [
        ("type", "call", 3, "A.f")]


def test_docstrings_keep_their_own_first_and_last_letters(write):
    """A docstring's prefix and quotes are stripped, never its own letters ("Returns" kept
    its R, "…a bulb" its b); raw, single-quoted and one-line docstrings alike."""
    src = ('def a():\n    """Returns the root of a bulb"""\n\n'
           "def b():\n    r'''Reads a raw string, uub'''\n\n"
           'def c():\n    "Builds it."\n')
    doc, _ = read_all(write("docs.py", src))
    assert [d.doc for d in doc.definitions] == ["Returns the root of a bulb",
                                                 "Reads a raw string, uub", "Builds it."]
