"""Memory that lasts and lets go: usage events, the value scorer, consolidation, tiers.

DESIGN.md section 3 step 8. `Usage` records what a person does (with a settable `Clock`
for tests), `Scorer` turns per-block features into a value, `consolidate` rescores and
moves blocks between the hot, warm and cold tiers, and `memory_report` says where they are.
"""
from engine.value.clock import DAY, Clock, SettableClock, SystemClock
from engine.value.consolidate import Consolidation, TierChange, consolidate
from engine.value.events import USE_KINDS, EventKind, Usage
from engine.value.features import FEATURES, block_features
from engine.value.report import DocumentMemoryRow, MemoryReport, memory_report
from engine.value.scorer import PRIOR, PRIOR_BIAS, Scorer, ValueMLP

__all__ = ["DAY", "Clock", "SettableClock", "SystemClock", "Consolidation", "TierChange",
           "consolidate", "USE_KINDS", "EventKind", "Usage", "FEATURES", "block_features",
           "DocumentMemoryRow", "MemoryReport", "memory_report", "PRIOR", "PRIOR_BIAS",
           "Scorer", "ValueMLP"]
