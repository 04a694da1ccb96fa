"""Local models: the sentence encoder and the llama.cpp answering model."""
from engine.model.bundled import bundled_encoder_dir, bundled_gguf
from engine.model.encoder import Encoder, shared_encoder
from engine.model.llm import LLM, check_gguf

__all__ = ["Encoder", "shared_encoder", "LLM", "check_gguf", "bundled_gguf", "bundled_encoder_dir"]
