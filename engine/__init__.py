"""The engine: library, recall, answers. Imports `ingest` first so that its `offline`
module switches dependencies' telemetry off before any engine module loads PyMuPDF."""
import ingest  # noqa: F401
