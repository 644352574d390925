"""Triage services: training, the per-process model, and intake advice."""

from palier.triage.services.intake import Advice, advise, record_advice
from palier.triage.services.training import retrain_if_due, train

__all__ = ["Advice", "advise", "record_advice", "retrain_if_due", "train"]
