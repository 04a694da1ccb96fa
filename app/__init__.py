"""The PySide6 desktop app. It calls the engine only through background jobs (`app.jobs`);
it touches no SQL and no tensors. `app.launcher.main` is the `memex` console script."""
from app.launcher import main

__all__ = ["main"]
