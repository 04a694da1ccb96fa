"""The engine: library, recall, answers. Imports `ingest` first so that its `offline`
module switches dependencies' telemetry off before any engine module loads PyMuPDF.

OpenMP threads (torch's encoder, llama.cpp) spin for a long while after each parallel
region by default, which is fastest on an idle machine but collapses when another busy
process holds a core: a phase-2 encode beside a running answer or a second reader took
many times longer. A short spin before sleeping keeps nearly all of the idle speed and
most of the loaded one (bench/ingest.py measures the encoder either way). It must be set
before torch loads, so it is set here, where every engine import begins; a user's own
OMP_WAIT_POLICY or GOMP_SPINCOUNT wins.

Likewise oneDNN keeps a compiled kernel for every matrix shape it meets, up to a thousand;
the encoder's length-sorted batches meet hundreds of shapes, and the cache grew the
process by hundreds of megabytes. The most recent 64 shapes cover the batches in flight."""
import os

if "OMP_WAIT_POLICY" not in os.environ and "GOMP_SPINCOUNT" not in os.environ:
    os.environ["GOMP_SPINCOUNT"] = "10000"
os.environ.setdefault("ONEDNN_PRIMITIVE_CACHE_CAPACITY", "64")

import ingest  # noqa: E402,F401
