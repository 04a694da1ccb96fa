"""Long-term memory: the surprise reader, blocks and their building (issue 5)."""
from engine.memory.blocks import BlockPolicy, cut_blocks, representatives
from engine.memory.build import document_memory, fill_missing_blocks
from engine.memory.reader import ReadOut, SurpriseReader

__all__ = ["BlockPolicy", "cut_blocks", "representatives", "document_memory",
           "fill_missing_blocks", "ReadOut", "SurpriseReader"]
