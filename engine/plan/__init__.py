"""Planning a question: its form, and the route that can answer it (engine/plan/planner.py)."""
from engine.plan.code_form import CodeAsk, code_form
from engine.plan.mention_form import Mentions, mentions_form
from engine.plan.planner import ROUTES, Plan, plan_question

__all__ = ["Plan", "plan_question", "ROUTES", "Mentions", "CodeAsk", "mentions_form", "code_form"]
