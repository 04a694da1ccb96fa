"""Answers that open with a cited quote, then the model's streamed synthesis."""
from engine.answer.answer import Answer, answer
from engine.answer.prompt import describe

__all__ = ["Answer", "answer", "describe"]
