"""Gists: what each block, section, chapter and whole document is about, written by the
local model while the app is idle, for questions about a whole book (plan → writer →
digest; recall over the levels; the outline the app shows as a map). Submodules are
imported where used, so an answer that needs no gist loads nothing of the writer."""
