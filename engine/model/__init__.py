"""Models: the sentence encoder and the answering model (llama.cpp in-process, or a server)."""
from engine.model.bundled import bundled_encoder_dir, bundled_gguf
from engine.model.encoder import Encoder, shared_encoder
from engine.model.llm import LLM, check_gguf
from engine.model.remote import RemoteLLM

__all__ = ["Encoder", "shared_encoder", "LLM", "RemoteLLM", "check_gguf", "bundled_gguf",
           "bundled_encoder_dir"]
