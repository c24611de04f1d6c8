"""Correcting text, shared by serving and evaluation: correctors, the guard, edit spans."""

from spelltune.correct.corrector import Correction, Corrector, Edit, Rejection
from spelltune.correct.load import load_corrector

__all__ = ["Correction", "Corrector", "Edit", "Rejection", "load_corrector"]
