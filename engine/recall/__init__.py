"""Recall: keyword and dense search over a library, fused into located evidence."""
from engine.recall.hit import Hit
from engine.recall.memory_index import MemoryIndex
from engine.recall.router import BlockIndex
from engine.recall.search import Mode, Searcher

__all__ = ["Hit", "Searcher", "Mode", "BlockIndex", "MemoryIndex"]
