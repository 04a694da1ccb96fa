"""The value scorer: a small torch MLP from block features to a value in [0, 1].

Architecture: F features → Linear(F, F + EXTRA) → ReLU → Linear(F + EXTRA, 1) → sigmoid.

Prior (the initial weights, not random). Every feature is ≥ 0, so a first layer that starts
as the identity passes each feature through its ReLU unchanged, and the output layer's
weights are then exactly the hand-set logistic prior `PRIOR` below: the untrained network
computes value = σ(PRIOR_BIAS + Σ PRIOR[f]·x_f). The EXTRA units, for interactions the data
may reveal, start with small fixed weights (a cosine pattern) and zero output weight, so they
change nothing until learning moves them. The prior reads: a block nobody uses starts near
0.35 and falls below 0.2 after about three weeks (age); recent use, citations and opened
citations raise it; a pin outweighs everything.

Learning (online, at each consolidation): features as of a window (two weeks) ago, label =
the block was used in the window since. Adam, binary cross-entropy, plus an L2 pull towards the prior
weights so a few weeks of data refine the prior rather than replace it. Weights, optimiser
state and step count are stored in the library (`model_state`), so learning survives restarts.
"""
from __future__ import annotations

import io
import math
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from engine.store.model_state import ModelBlob, load_model, save_model
from engine.value.features import FEATURES

__all__ = ["ValueMLP", "Scorer", "PRIOR", "PRIOR_BIAS", "EXTRA", "TrainResult"]

PRIOR_BIAS = -0.6
PRIOR: dict[str, float] = {
    "surprise": 0.3,
    "recalled_count": 1.0, "recalled_recency": 1.0,
    "cited_count": 1.5, "cited_recency": 1.5,
    "citation_opened_count": 2.0, "citation_opened_recency": 1.5,
    "answer_copied_count": 1.5, "answer_copied_recency": 1.0,
    "document_opened_recency": 0.5,
    "age": -1.5,
    "size": 0.0,
    "pinned": 4.0,
    "code": 0.0,
    "media": 0.0,
}
EXTRA = 8          # interaction units beyond the identity
NAME = "value_scorer"
_LR = 0.005
_PULL = 0.05       # L2 weight towards the prior parameters
_STEPS = 20        # optimiser steps per consolidation


class ValueMLP(nn.Module):
    def __init__(self, n_features: int = len(FEATURES), extra: int = EXTRA):
        super().__init__()
        self.hidden = nn.Linear(n_features, n_features + extra)
        self.out = nn.Linear(n_features + extra, 1)
        self.reset_to_prior()

    @torch.no_grad()
    def reset_to_prior(self) -> None:
        f = self.hidden.in_features
        extra = self.hidden.out_features - f
        w = torch.zeros(f + extra, f)
        w[:f] = torch.eye(f)
        j = torch.arange(extra, dtype=torch.float32)[:, None]
        i = torch.arange(f, dtype=torch.float32)[None, :]
        w[f:] = 0.1 * torch.cos(1.7 * (i + 1) * (j + 1))      # fixed, small, varied
        self.hidden.weight.copy_(w)
        self.hidden.bias.zero_()
        out = torch.zeros(1, f + extra)
        out[0, :f] = torch.tensor([PRIOR.get(name, 0.0) for name in FEATURES])
        self.out.weight.copy_(out)
        self.out.bias.fill_(PRIOR_BIAS)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x: [B, F] features in [0, 1] → [B] logits."""
        return self.out(torch.relu(self.hidden(x)))[:, 0]


@dataclass(frozen=True)
class TrainResult:
    examples: int
    positives: int
    loss_before: float
    loss_after: float
    steps: int

    def to_json(self) -> dict:
        return {"examples": self.examples, "positives": self.positives,
                "loss_before": round(self.loss_before, 5), "loss_after": round(self.loss_after, 5),
                "steps": self.steps}


class Scorer:
    """The MLP with its optimiser, loaded from and saved to a library's store."""

    def __init__(self) -> None:
        torch.manual_seed(0)   # no randomness is used; kept so any future init is repeatable
        self.net = ValueMLP()
        self.prior = [p.detach().clone() for p in self.net.parameters()]
        self.optim = torch.optim.Adam(self.net.parameters(), lr=_LR)
        self.steps = 0

    @classmethod
    def load(cls, store) -> "Scorer":
        scorer = cls()
        blob = load_model(store, NAME)
        if blob is not None:
            scorer.net.load_state_dict(torch.load(io.BytesIO(blob.weights), weights_only=True))
            if blob.optimizer:
                scorer.optim.load_state_dict(torch.load(io.BytesIO(blob.optimizer), weights_only=True))
            scorer.steps = blob.steps
        return scorer

    def save(self, store, now: float) -> None:
        weights, optim = io.BytesIO(), io.BytesIO()
        torch.save(self.net.state_dict(), weights)
        torch.save(self.optim.state_dict(), optim)
        save_model(store, ModelBlob(NAME, weights.getvalue(), optim.getvalue(), self.steps, now))

    def state(self) -> dict[str, torch.Tensor]:
        """A copy of the weights (to compare across a restart)."""
        return {k: v.detach().clone() for k, v in self.net.state_dict().items()}

    @torch.no_grad()
    def score(self, x: np.ndarray) -> np.ndarray:
        """[B, F] features → [B] values in [0, 1]."""
        if len(x) == 0:
            return np.zeros(0, np.float32)
        return torch.sigmoid(self.net(torch.from_numpy(np.asarray(x, np.float32)))).numpy()

    def learn(self, x: np.ndarray, y: np.ndarray, steps: int = _STEPS) -> TrainResult:
        """A few optimiser steps on (features, used-in-the-next-window) pairs."""
        if len(x) == 0:
            return TrainResult(0, 0, math.nan, math.nan, 0)
        xt = torch.from_numpy(np.asarray(x, np.float32))
        yt = torch.from_numpy(np.asarray(y, np.float32))
        bce = nn.BCEWithLogitsLoss()
        with torch.no_grad():
            before = float(bce(self.net(xt), yt))
        for _ in range(steps):
            self.optim.zero_grad()
            pull = sum(((p - p0) ** 2).sum() for p, p0 in zip(self.net.parameters(), self.prior))
            loss = bce(self.net(xt), yt) + _PULL * pull
            loss.backward()
            self.optim.step()
        self.steps += steps
        with torch.no_grad():
            after = float(bce(self.net(xt), yt))
        return TrainResult(len(x), int(yt.sum()), before, after, steps)
