"""The PySide6 desktop app (arrives with the desktop-app issue). It calls the engine only
through background jobs; it touches no SQL and no tensors."""
