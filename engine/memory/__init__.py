"""The library's long-term memory: the surprise reader, blocks and their building
(engine/store/blocks.py keeps their rows; engine/value moves them between tiers)."""
from engine.memory.blocks import BlockPolicy, cut_blocks, representatives
from engine.memory.build import document_memory, fill_missing_blocks
from engine.memory.reader import ReadOut, SurpriseReader

__all__ = ["BlockPolicy", "cut_blocks", "representatives", "document_memory",
           "fill_missing_blocks", "ReadOut", "SurpriseReader"]
