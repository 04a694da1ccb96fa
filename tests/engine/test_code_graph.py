"""A small real repository in a real library: references resolved along the rules, trace
through the API and the CLI, incremental re-index, skipped files, and code questions."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from engine.recall.callees import callee_hits
from tests.engine.cli import memex, memex_json

FILES = {
    "shop/__init__.py": "from .cart import Cart\n",
    "shop/cart.py": '''\
from .pricing import discount
import shop.tax as tax


class Cart:
    """A shopping cart that knows its total."""

    def __init__(self):
        self.items = []

    def add(self, item):
        self.items.append(item)
        self.recount()

    def recount(self):
        return len(self.items)

    def total(self):
        return discount(sum(self.items)) + tax.vat(1)
''',
    "shop/pricing.py": "def discount(x):\n    return x * 0.9\n\n\ndef recount():\n    return 0\n",
    "shop/tax.py": "def vat(x):\n    \"\"\"Value added tax.\"\"\"\n    return x * 0.2\n",
    "shop/legacy.py": "def discount(x):\n    return x\n\n\ndef audit(cart):\n    return cart.recount()\n",
    "web/ui.js": 'import { total } from "./api.js";\nfunction show() {\n  return total();\n}\n',
    "web/api.js": "export function total() {\n  return 1;\n}\n",
    "web/node_modules/dep/index.js": "module.exports = function () {};\n",
    "web/app.min.js": "var a=1;\n",
    "notes/guide.md": "# Pricing\n\nEvery order gets a discount before tax.\n\n"
                      "# Returns\n\nA refund undoes the discount too.\n",
    ".gitignore": "scratch/\n",
    "scratch/tmp.py": "def discount():\n    pass\n",
}


def _write_repo(root: Path) -> Path:
    for rel, text in FILES.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)
    return root.resolve()


@pytest.fixture
def repo(tmp_path) -> Path:
    return _write_repo(tmp_path / "repo")


@pytest.fixture(scope="module")
def shop(tmp_path_factory, encoder):
    """(repo, library, first ingest summary): read once for the tests that only look."""
    from engine.library import Library
    root = _write_repo(tmp_path_factory.mktemp("shop") / "repo")
    lib = Library(tmp_path_factory.mktemp("shoplib"), encoder=encoder)
    summary = lib.ingest([root])
    yield root, lib, summary
    lib.close()


def _resolutions(lib, path: Path) -> dict[tuple[str, int], tuple[str | None, str | None]]:
    rows = lib.store.db.execute(
        "SELECT r.name, r.line, s.qualname, td.path, r.resolution FROM refs r"
        " JOIN documents d ON d.id = r.doc_id LEFT JOIN symbols s ON s.id = r.target_id"
        " LEFT JOIN documents td ON td.id = s.doc_id WHERE d.path = ? AND r.kind = 'call'",
        [str(path)]).fetchall()
    return {(n, ln): (f"{Path(p).name}:{q}" if q else None, how) for n, ln, q, p, how in rows}


def test_references_resolve_by_the_rules(shop):
    repo, library, summary = shop
    assert not summary.failed, summary.failed
    ignored = dict(summary.ignored)
    assert ignored[str(repo / "web/node_modules")].startswith("skipped folder: installed JavaScript")
    assert "minified" in ignored[str(repo / "web/app.min.js")]
    assert str(repo / "scratch/tmp.py") not in summary.stored          # .gitignore
    cart = _resolutions(library, repo / "shop/cart.py")
    assert cart[("recount", 13)] == ("cart.py:Cart.recount", "self")   # not pricing.recount
    assert cart[("discount", 19)] == ("pricing.py:discount", "import")  # not legacy.discount
    assert cart[("vat", 19)] == ("tax.py:vat", "import")
    assert cart[("append", 12)] == (None, "none")
    assert cart[("sum", 19)] == (None, "none")
    assert _resolutions(library, repo / "shop/legacy.py")[("recount", 6)] == (None, "none")
    assert _resolutions(library, repo / "web/ui.js")[("total", 3)] == ("api.js:total", "import")


def test_trace_lists_definitions_references_and_mentions_in_order(shop):
    repo, library, _ = shop
    found = library.trace("discount")
    got = [(Path(o.path).relative_to(repo).as_posix(), o.line_start, o.kind, o.symbol)
           for o in found]
    assert got == [
        ("notes/guide.md", 3, "mention", None),
        ("notes/guide.md", 7, "mention", None),
        ("shop/cart.py", 1, "reference", None),
        ("shop/cart.py", 19, "reference", "Cart.total"),
        ("shop/legacy.py", 1, "definition", "discount"),
        ("shop/pricing.py", 1, "definition", "discount"),
    ]
    assert found[0].section == "Pricing" and found[1].section == "Returns"
    assert "discount before tax" in found[0].text
    assert found[3].text == "return discount(sum(self.items)) + tax.vat(1)"
    assert found[5].text == "def discount(x)" and found[5].line_end == 2
    assert [o.kind for o in library.trace("discount", limit=2)] == ["mention", "mention"]
    qualified = library.trace("Cart.recount")
    assert [(Path(o.path).name, o.line_start, o.kind) for o in qualified] == [
        ("cart.py", 13, "reference"), ("cart.py", 15, "definition"),
        ("legacy.py", 6, "reference")]   # an unresolved use of the name is still listed
    assert library.trace("no_such_name_anywhere") == []


def test_cli_trace_json_and_text(tmp_path, repo):
    lib = tmp_path / "clilib"
    out = memex("ingest", repo, "--library", lib)
    assert "skipped: " + str(repo / "web/node_modules") in out.stderr
    data = memex_json("trace", "vat", "--json", "--library", lib)
    assert data["term"] == "vat"
    assert data["occurrences"] == [
        {"path": str(repo / "shop/cart.py"), "page": None, "line_start": 19, "line_end": 19,
         "section": None, "symbol": "Cart.total", "kind": "reference",
         "text": "return discount(sum(self.items)) + tax.vat(1)"},
        {"path": str(repo / "shop/tax.py"), "page": None, "line_start": 1, "line_end": 3,
         "section": None, "symbol": "vat", "kind": "definition", "text": "def vat(x)"},
    ]
    text = memex("trace", "vat", "--library", lib).stdout
    assert text.index(str(repo / "shop/cart.py")) < text.index(str(repo / "shop/tax.py"))
    assert "in Cart.total" in text and "defines vat" in text
    assert memex("trace", "nothing_here", "--library", lib, check=False).returncode == 1


def test_incremental_reindex_reparses_changed_files_and_updates_the_graph(library, repo):
    library.ingest([repo])
    before = {p: library.store.document(p).updated_at for p in
              (str(repo / "shop/cart.py"), str(repo / "shop/tax.py"))}
    (repo / "shop/legacy.py").unlink()
    (repo / "shop/pricing.py").write_text(
        "# Pricing rules.\n\n\ndef discount(x):\n    return x * 0.8\n")
    again = library.ingest([repo])
    assert again.stored == [str(repo / "shop/pricing.py")]
    assert again.removed == [str(repo / "shop/legacy.py")]
    assert len(again.skipped) == 6        # every other stored file is left untouched
    for p, stamp in before.items():
        assert library.store.document(p).updated_at == stamp
    assert [Path(o.path).name for o in library.trace("discount") if o.kind == "definition"] \
        == ["pricing.py"]
    assert _resolutions(library, repo / "shop/cart.py")[("discount", 19)] == \
        ("pricing.py:discount", "import")
    assert library.store.db.execute(
        "SELECT count(*) FROM symbols s JOIN documents d ON d.id = s.doc_id"
        " WHERE d.path = ?", [str(repo / "shop/pricing.py")]).fetchone()[0] == 1
    assert library.store.integrity() == "ok"
    # a file deleted from disk and forgotten leaves no reference pointing at it
    library.forget(repo / "shop/tax.py")
    assert _resolutions(library, repo / "shop/cart.py")[("vat", 19)] == (None, "none")


def test_code_hits_bring_the_definitions_they_call(shop):
    repo, library, _ = shop
    hits = library.search("cart total discount vat items", k=1, mode="bm25")
    assert Path(hits[0].location.path).name == "cart.py"
    extra = callee_hits(library.store, hits)
    assert [(Path(h.location.path).name, h.location.symbol) for h in extra] == [
        ("pricing.py", "discount"), ("tax.py", "vat")]
    assert all(h.score < hits[0].score for h in extra)


def test_ask_about_code_cites_file_and_lines(shop):
    repo, library, _ = shop
    ans = library.ask("How does the Cart compute its total?", max_tokens=12)
    names = [Path(h.location.path).name for h in ans.evidence]
    assert "cart.py" in names and "pricing.py" in names     # the callee came along
    from engine.answer import describe
    cart = next(h for h in ans.evidence if h.location.path.endswith("cart.py")
                and h.location.symbol == "Cart")
    assert describe(cart) == "cart.py:5-19 (Cart)"
    lines = {ln.strip() for h in ans.evidence for ln in h.text.splitlines()}
    assert ans.quote is not None and ans.quote.text in lines      # quotes a whole source line
    assert json.dumps(ans.to_json())


def test_a_readable_repository_is_traced_and_keyword_searched_before_it_is_understood(library, repo):
    summary = library.ingest([repo], wait=False)
    assert "encode_s" not in summary.timings                 # phase 1 encodes nothing
    n = library.store.chunk_count()
    assert n > 5 and len(library.store.missing_keys()) == n
    assert {d.phase for d in library.documents()} == {"readable"}
    assert [o.kind for o in library.trace("vat")] == ["reference", "definition"]
    assert library.search("value added tax", k=1, mode="bm25")[0].location.symbol == "vat"
    assert library.search("value added tax", k=1, mode="dense") == []
    seen = []
    done = library.understand(report=lambda d, t, label: seen.append((d, t)))
    assert done.chunks == n and len(done.documents) == len(summary.stored)
    assert library.store.missing_keys() == [] and seen[-1] == (n, n)
    assert {d.phase for d in library.documents()} == {"understood"}
    assert library.search("value added tax", k=1, mode="dense")[0].location.symbol == "vat"
