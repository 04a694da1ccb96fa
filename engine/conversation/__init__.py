"""Conversations: persisted turns, follow-up resolution, places and two-hop questions."""
from engine.conversation.followup import Resolved, gate, resolve
from engine.conversation.hops import split_hops
from engine.conversation.place import Place, find_place
from engine.store.conversations import Conversation, Conversations, Turn

__all__ = ["Conversation", "Conversations", "Turn", "Resolved", "gate", "resolve",
           "split_hops", "Place", "find_place"]
