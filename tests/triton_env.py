"""Triton setup shared by the kernel tests.

The device comes from kernels_contract.choose_device, the function the
Triton snippets use, called here before any kernel module is imported:
the interpreter is chosen when @triton.jit runs. Only a missing torch or
triton skips the Triton tests, with the reason shown; any other import
error is a failure.
"""

from __future__ import annotations

import importlib

import pytest

try:
    import torch
except ModuleNotFoundError as err:
    if err.name != "torch":
        raise
    torch = None

if torch is not None:
    from kernels_contract import choose_device

    DEVICE = choose_device()
else:
    DEVICE = "cpu"
# fp32 dots run as exact fp32 ("ieee") on the GPU too, so one tolerance
TRITON_TOL = 1e-5


def load_kernels(module: str):
    """(module or None, skip mark for tests that need it)."""
    try:
        mod = importlib.import_module(module)
    except ModuleNotFoundError as err:
        if err.name not in ("torch", "triton"):
            raise
        reason = f"torch and triton are needed: {err}"
        return None, pytest.mark.skipif(True, reason=reason)
    return mod, pytest.mark.skipif(False, reason="")
