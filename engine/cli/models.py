"""`memex models`: the GGUF models found on this computer, and choosing the one to use.

A choice is kept per library (in the library's file, so it travels with it) or, with
`--global`, for every library in a small JSON file in the user config dir. Listing opens
no model and creates no library.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TextIO

from engine.config import ModelChoice, default_library, resolve_model, set_global_model
from engine.errors import ModelError
from engine.model.catalog import FoundModel, describe, discover, find_model, human_size

__all__ = ["run_models"]

_ORIGINS = {"flag": "the --model flag", "env": "$MEMEX_MODEL",
            "library": "this library's choice", "global": "the choice for every library",
            "bundled": "the bundled default"}


def run_models(args) -> int:
    folder = Path(args.library).expanduser() if args.library else default_library()
    models = discover(folders=args.dir)
    if args.use or args.clear:
        _choose(args, folder, models)
        if not args.json:
            return 0
    choice = resolve_model(None, library_choice=_library_choice(folder))
    current = _current(choice, models)
    if args.json:
        print(json.dumps({"models": [m.to_json() for m in models],
                          "current": str(current) if current else None}, ensure_ascii=False))
        return 0
    print_models(models, current, choice, sys.stdout)
    return 0


def print_models(models: list[FoundModel], current: Path | None, choice: ModelChoice,
                 out: TextIO) -> None:
    if not models:
        out.write("No GGUF models found. Add a folder with --dir FOLDER or $MEMEX_MODEL_DIRS.\n")
    width = min(max((len(m.name) for m in models), default=0), 48)
    for m in models:
        mark = "*" if current is not None and _same(m.path, current) else " "
        ctx = f"{m.context_length:,} ctx" if m.context_length else "ctx ?"
        out.write(f"{mark} {m.name:<{width}}  {m.source:<11} {human_size(m.size_bytes):>9}  "
                  f"{m.quantization or '?':<8} {ctx}\n    {m.path}\n")
    if current is not None:
        out.write(f"\n* in use: {_ORIGINS[choice.origin]}. Choose another with "
                  "`memex models --use NAME` (--global: for every library).\n")


def _choose(args, folder: Path, models: list[FoundModel]) -> None:
    from engine.store.app_state import AppState
    from engine.store import Store

    path = None if args.clear else str(find_model(args.use, models).path)
    if args.global_:
        set_global_model(path)
        where = "every library"
    else:
        store = Store(folder)
        try:
            AppState(store).choose_model(path)
        finally:
            store.close()
        where = f"the library {folder}"
    if not args.json:
        print(f"{'using ' + path if path else 'no model chosen'} for {where}")
    choice = resolve_model(None, library_choice=_library_choice(folder))
    if path and choice.origin in ("env", "library") and str(choice.path) != path:
        print(f"memex: note: {_ORIGINS[choice.origin]} ({choice.path}) still takes "
              "precedence here.", file=sys.stderr)


def _library_choice(folder: Path) -> str | None:
    """The library's choice, read without creating a library that does not exist yet."""
    from engine.store.app_state import AppState
    from engine.store import Store
    from engine.store.store import DB_NAME

    if not (folder / DB_NAME).is_file():
        return None
    store = Store(folder)
    try:
        return AppState(store).model()
    finally:
        store.close()


def _current(choice: ModelChoice, models: list[FoundModel]) -> Path | None:
    """The file answers would use; added to `models` when it lies outside every root."""
    if choice.path is None:
        bundled = next((m for m in models if m.source == "bundled"), None)
        return bundled.path if bundled else None
    if not any(_same(m.path, choice.path) for m in models):
        try:
            models.append(describe(choice.path))
        except ModelError as exc:
            print(f"memex: the model in use is unusable: {exc.reason}", file=sys.stderr)
    return choice.path


def _same(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == Path(b).expanduser().resolve()
    except OSError:
        return False
