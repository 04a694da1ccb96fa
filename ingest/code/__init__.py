"""Source code -> whole syntactic units (functions, methods, classes) and a symbol graph.

Tree-sitter grammars from PyPI parse Python, JavaScript, TypeScript/TSX, C, C++, Go, Rust
and Java; the language comes from the extension, else the shebang line.
"""
from .languages import CODE_SUFFIXES, LANGUAGE_BY_SUFFIX, language_of, shebang_language
from .reader import LANGUAGE_NAMES, open_code
from .screen import MAX_CODE_BYTES, Skipped

__all__ = ["open_code", "language_of", "shebang_language", "CODE_SUFFIXES",
           "LANGUAGE_BY_SUFFIX", "LANGUAGE_NAMES", "MAX_CODE_BYTES", "Skipped"]
