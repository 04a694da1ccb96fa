"""`memex --selftest`: proves an install works end to end, offline, and says what it is made of.

It reads the bundled sample book into a temporary library, asks the sample question with the
bundled models (never a model chosen in the settings, $MEMEX_MODEL or a model server), and
checks that the answer line holds the expected words and cites the expected page; it also
loads every tree-sitter grammar. The question, answer and page come from
resources/samples/README.md (`SAMPLE_QUESTION:`, `SAMPLE_ANSWER:`, `SAMPLE_ANSWER_PAGE:`).
Every component's version is printed first, so a failing install still says what it holds.
Exit 0 when every check passed, 1 otherwise.

Written for the packaged app (packaging/), where nothing but this command shows that the
models, WordNet, the grammars and the native libraries all came along; it runs the same way
in a development install.
"""
from __future__ import annotations

import argparse
import importlib.metadata as md
import json
import os
import platform
import re
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable

__all__ = ["SAMPLES", "SelfTest", "sample_facts", "versions", "models", "selftest", "run"]

SAMPLES = Path(__file__).resolve().parents[2] / "resources" / "samples"


def sample_facts(readme: Path = SAMPLES / "README.md") -> tuple[str, str, int]:
    """(question, expected answer words, expected physical page) from the samples' README."""
    keys = {}
    for line in readme.read_text(encoding="utf-8").splitlines():
        m = re.match(r"(SAMPLE_QUESTION|SAMPLE_ANSWER|SAMPLE_ANSWER_PAGE):\s*(.+)", line)
        if m:
            keys[m.group(1)] = m.group(2).strip()
    missing = {"SAMPLE_QUESTION", "SAMPLE_ANSWER", "SAMPLE_ANSWER_PAGE"} - keys.keys()
    if missing:
        raise ValueError(f"{readme} has no {', '.join(sorted(missing))} line.")
    page = re.match(r"\d+", keys["SAMPLE_ANSWER_PAGE"])
    if page is None:
        raise ValueError(f"{readme}: SAMPLE_ANSWER_PAGE does not start with a page number.")
    return keys["SAMPLE_QUESTION"], keys["SAMPLE_ANSWER"], int(page.group())


def _dist_version(*names: str) -> str:
    for name in names:
        try:
            return md.version(name)
        except md.PackageNotFoundError:
            continue
    return "not found"


def _module_version(module: str, attr: str = "__version__") -> str:
    try:
        mod = __import__(module, fromlist=["_"])
    except Exception as exc:                       # a missing native library shows here
        return f"cannot import: {exc}"
    return str(getattr(mod, attr, "unknown"))


def versions() -> dict[str, str]:
    """Every component's version; 'cannot import: …' names a component that is broken.
    PySide6 is read from its metadata: the engine never imports Qt."""
    v = {
        "memex": _dist_version("memex"),
        "python": f"{platform.python_version()} ({platform.python_implementation()}, "
                  f"{platform.machine()})",
        "torch": _module_version("torch"),
        "llama-cpp-python": _module_version("llama_cpp"),
        "sentence-transformers": _module_version("sentence_transformers"),
        "transformers": _module_version("transformers"),
        "PyMuPDF": _module_version("pymupdf"),
        "PyAV": _module_version("av"),
        "PySide6": _dist_version("PySide6-Essentials", "PySide6"),
        "tree-sitter": _module_version("tree_sitter"),
        "numpy": _module_version("numpy"),
        "sqlite": _module_version("sqlite3", "sqlite_version"),   # the library, not the module
    }
    if not v["PyMuPDF"].startswith("cannot"):
        v["PyMuPDF"] += f" (MuPDF {_module_version('pymupdf', 'mupdf_version')})"
    if not v["PyAV"].startswith("cannot"):
        v["PyAV"] += f" (FFmpeg {_module_version('av', 'ffmpeg_version_info')})"
    return v


def models() -> dict[str, str]:
    """The bundled model files by name (a missing one says why)."""
    from engine.errors import ModelError
    from engine.model.bundled import bundled_encoder_dir, bundled_gguf
    from engine.recall.thesaurus import wordnet_dir

    out = {}
    for key, find in (("answering model", lambda: bundled_gguf().name),
                      ("encoder", lambda: f"{bundled_encoder_dir().parent.name} ("
                       + ", ".join(sorted(p.name for p in bundled_encoder_dir().glob("*.safetensors")))
                       + ")")):
        try:
            out[key] = find()
        except ModelError as exc:
            out[key] = f"missing: {exc.reason}"
    wn = wordnet_dir()
    out["wordnet"] = wn.name if wn is not None else "missing: the wn package's data files"
    return out


@dataclass
class SelfTest:
    versions: dict[str, str]
    models: dict[str, str]
    question: str = ""
    expected: str = ""
    expected_page: int = 0
    grammars: list[str] = field(default_factory=list)
    chunks: int = 0
    answer_line: str | None = None    # the short answer, with its [n]
    cited: str | None = None          # the answer line's citation, described
    cited_page: int | None = None
    ingest_s: float = 0.0
    answer_s: float = 0.0             # question to finished answer
    line_s: float | None = None       # question to the answer line
    total_s: float = 0.0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_json(self) -> dict:
        return {"ok": self.ok, **asdict(self)}


def _grammars(result: SelfTest) -> None:
    from ingest.code.languages import LANGUAGE_BY_SUFFIX, grammar

    for name in sorted(set(LANGUAGE_BY_SUFFIX.values())):
        try:
            grammar(name)
        except Exception as exc:
            result.problems.append(f"the {name} grammar does not load: {exc}")
        else:
            result.grammars.append(name)


def _in_process_model():
    """The bundled model answers, whatever $MEMEX_ENDPOINT says (restored afterwards)."""
    class _Guard:
        def __enter__(self):
            self.saved = {k: os.environ.pop(k) for k in ("MEMEX_ENDPOINT",) if k in os.environ}

        def __exit__(self, *exc):
            os.environ.update(self.saved)
    return _Guard()


def selftest(say: Callable[[str], None] = lambda line: None, *,
             library: Path | None = None) -> SelfTest:
    """Run every check; `say(line)` hears progress. `library` (a folder that must not
    exist yet) keeps the library for inspection; by default a temporary one is removed."""
    t0 = time.perf_counter()
    result = SelfTest(versions=versions(), models=models())
    width = max(map(len, [*result.versions, *result.models, "grammars"]))
    for k, v in {**result.versions, **result.models}.items():
        say(f"  {k:<{width}}  {v}")
    result.problems += [f"{k}: {v}" for k, v in result.versions.items()
                        if v.startswith("cannot import") or v == "not found"]
    result.problems += [f"{k}: {v}" for k, v in result.models.items() if v.startswith("missing")]
    try:
        result.question, result.expected, result.expected_page = sample_facts()
    except (OSError, ValueError) as exc:
        result.problems.append(f"the sample's README: {exc}")
        return result
    _grammars(result)
    say(f"  {'grammars':<{width}}  {', '.join(result.grammars)}")
    pdf = SAMPLES / "alice.pdf"
    if not pdf.is_file():
        result.problems.append(f"the sample book {pdf} is missing")
        return result
    with tempfile.TemporaryDirectory(prefix="memex-selftest-") as tmp:
        _read_and_ask(result, pdf, Path(library) if library else Path(tmp) / "library", say)
    result.total_s = round(time.perf_counter() - t0, 2)
    return result


def _read_and_ask(result: SelfTest, pdf: Path, folder: Path, say: Callable[[str], None]) -> None:
    from engine.answer import describe
    from engine.errors import MemexError
    from engine.library import Library
    from engine.model.bundled import bundled_gguf

    try:
        with _in_process_model(), Library(folder, model=bundled_gguf()) as lib:
            say(f"reading {pdf.name} into {folder} …")
            t = time.perf_counter()
            summary = lib.ingest([pdf])
            result.ingest_s = round(time.perf_counter() - t, 2)
            result.chunks = summary.chunks
            if summary.failed or not summary.stored:
                result.problems.append(f"{pdf.name} was not read: {summary.failed or 'nothing stored'}")
                return
            say(f"read {pdf.name}: {summary.chunks} chunks in {result.ingest_s:.1f} s")
            say(f"asking: {result.question}")
            t = time.perf_counter()
            ans = lib.ask(result.question, max_tokens=24, record=False)
            result.answer_s = round(time.perf_counter() - t, 2)
    except MemexError as exc:
        result.problems.append(exc.reason)
        return
    result.line_s = ans.line_s
    line = ans.line
    if line is None or not line.tag:
        result.problems.append("the answer has no cited answer line")
        return
    result.answer_line = f"{line.text} [{line.tag}]"
    hit = ans.evidence[line.tag - 1]
    result.cited, result.cited_page = describe(hit), hit.location.page
    if result.expected.casefold() not in line.text.casefold():
        result.problems.append(f"the answer line is {line.text!r}, not {result.expected!r}")
    if hit.location.page != result.expected_page:
        result.problems.append(f"the answer line cites page {hit.location.page}, "
                               f"not page {result.expected_page}")


def _print(result: SelfTest, out) -> None:
    """The outcome, after the versions `selftest` said as it started."""
    if result.answer_line is not None:
        out.write(f"Answer: {result.answer_line}\n  cited: {result.cited}\n")
    out.write(f"read {result.chunks} chunks in {result.ingest_s:.1f} s, answered in "
              f"{result.answer_s:.1f} s (answer line after {result.line_s or 0:.1f} s)\n")
    for p in result.problems:
        out.write(f"FAILED: {p}\n")
    out.write(f"selftest {'passed' if result.ok else 'failed'} in {result.total_s:.1f} s\n")


def run(argv: list[str] | None = None) -> int:
    """`memex --selftest [--json] [--keep-library PATH]`: exit 0 when every check passed."""
    p = argparse.ArgumentParser(prog="memex --selftest", description=__doc__.split("\n\n")[0])
    p.add_argument("--json", action="store_true", help="print one JSON object instead")
    p.add_argument("--keep-library", metavar="PATH", help="build the library here and keep it")
    args = p.parse_args(argv)
    out = sys.stdout
    if not args.json:
        out.write("memex selftest: versions\n")
        out.flush()
    result = selftest((lambda line: None) if args.json else
                      (lambda line: (out.write(f"{line}\n"), out.flush())),
                      library=Path(args.keep_library) if args.keep_library else None)
    if args.json:
        out.write(json.dumps(result.to_json(), ensure_ascii=False) + "\n")
    else:
        _print(result, out)
    return 0 if result.ok else 1
