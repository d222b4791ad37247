"""Triton setup shared by the kernel tests.

The interpreter is chosen when @triton.jit runs, so TRITON_INTERPRET is set
here, before any kernel module is imported. Missing torch or triton skips
only the Triton tests locally, with the reason shown, and fails them under
CI=true (tests/support.py); any other ImportError fails everywhere.
"""

from __future__ import annotations

import os

from tests.support import needs, probe_module

torch, _ = probe_module("torch")
if torch is not None and not torch.cuda.is_available():
    os.environ.setdefault("TRITON_INTERPRET", "1")

DEVICE = "cuda" if torch is not None and torch.cuda.is_available() else "cpu"
TRITON_TOL = 1e-5 if DEVICE == "cpu" else 2e-2  # a GPU fp32 dot uses TF32


def load_kernels(module: str):
    """(module or None, the mark for tests that need it)."""
    mod, reason = probe_module(module, packages=("torch", "triton"))
    return mod, needs(reason)
