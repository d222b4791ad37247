"""Triton setup shared by the kernel tests.

The interpreter is chosen when @triton.jit runs, so TRITON_INTERPRET is set
here, before any kernel module is imported. Missing torch or triton skips
only the Triton tests, with the reason shown.
"""

from __future__ import annotations

import importlib
import os

import pytest

try:
    import torch
except ImportError:
    torch = None
if torch is not None and not torch.cuda.is_available():
    os.environ.setdefault("TRITON_INTERPRET", "1")

DEVICE = "cuda" if torch is not None and torch.cuda.is_available() else "cpu"
TRITON_TOL = 1e-5 if DEVICE == "cpu" else 2e-2  # a GPU fp32 dot uses TF32


def load_kernels(module: str):
    """(module or None, skip mark for tests that need it)."""
    try:
        mod = importlib.import_module(module)
    except ImportError as err:
        reason = f"torch and triton are needed: {err}"
        return None, pytest.mark.skipif(True, reason=reason)
    return mod, pytest.mark.skipif(False, reason="")
