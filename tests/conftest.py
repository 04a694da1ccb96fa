"""Every test process loads PyMuPDF as Memex does: `ingest.offline` runs before any test
module imports PyMuPDF itself (tests/makers.py does), so no test loads onnxruntime."""
import ingest.offline  # noqa: F401
