"""Triton setup shared by the kernel tests.

The device comes from kernels_contract.choose_device, the function the
Triton snippets use, called here before any kernel module is imported:
the interpreter is chosen when @triton.jit runs. Missing torch or triton
skips only the Triton tests locally, with the reason shown, and fails them
under CI=true (tests/support.py); any other ImportError fails everywhere.
"""

from __future__ import annotations

from tests.support import needs, probe_module

torch, _ = probe_module("torch")

if torch is not None:
    from kernels_contract import choose_device

    DEVICE = choose_device()
else:
    DEVICE = "cpu"
# fp32 dots run as exact fp32 ("ieee") on the GPU too, so one tolerance
TRITON_TOL = 1e-5


def load_kernels(module: str):
    """(module or None, the mark for tests that need it)."""
    mod, reason = probe_module(module, packages=("torch", "triton"))
    return mod, needs(reason)
