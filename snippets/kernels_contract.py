"""What every kernel on the kernel pages promises, in one place.

- check_array, check_int, check_number: the one input check of every
  public kernel function. A broken rule raises ValueError with one wording,
  "<argument> must <rule>, got <value>", so the message names the argument.
- MoE defaults shared by the loop, the numpy dispatch and the Triton
  kernel, so that the same call means the same layer in all three.
- choose_device: where the Triton kernels and their tests put tensors.
"""

import math
import os

import numpy as np

# MoE defaults: top-2, no capacity limit (dropless, like Mixtral), and
# Switch Transformer's aux-loss weight alpha = 0.01 (Fedus et al. 2021)
TOP_K = 2
CAPACITY_FACTOR = None
ALPHA = 0.01


def fail(name, rule, got):
    """The one wording of every input error."""
    raise ValueError(f"{name} must {rule}, got {got}")


def check_array(name, a, shape, dtypes, like=None, device=None):
    """a is an array of the right kind, shape, dtype and device.

    shape: one entry per dim, an int that must match or None for any
    size >= 1. dtypes: the allowed dtypes (numpy or torch). like: a pair
    (name, array) whose dtype a must share. device: a torch device type.
    Works on numpy arrays and torch tensors alike.
    """
    kind = np.ndarray if isinstance(dtypes[0], type) else _tensor_type()
    if not isinstance(a, kind):
        fail(name, f"be a {kind.__module__}.{kind.__name__}", type(a))
    spec = "(" + ", ".join("*" if s is None else str(s) for s in shape) + ")"
    got = tuple(a.shape)
    if len(got) != len(shape) or any(
        g < 1 if s is None else g != s
        for g, s in zip(got, shape, strict=False)
    ):
        note = " (each * >= 1)" if None in shape else ""
        fail(name, f"have shape {spec}{note}", got)
    numpy = kind is np.ndarray
    if a.dtype not in dtypes:
        names = ", ".join(str(np.dtype(t) if numpy else t) for t in dtypes)
        fail(name, f"have a dtype in ({names})", a.dtype)
    if like is not None and a.dtype != like[1].dtype:
        fail(name, f"have the dtype of {like[0]} ({like[1].dtype})", a.dtype)
    if device is not None and a.device.type != device:
        fail(name, f"be on the {device} device", a.device.type)
    floating = a.dtype.kind == "f" if numpy else a.dtype.is_floating_point
    if floating and not bool(
        (np.isfinite(a) if numpy else a.isfinite()).all()
    ):
        fail(name, "be finite (no nan or inf)", "a nan or inf")


def check_int(name, value, low, high=None):
    """value is an int (not a bool) with low <= value (<= high)."""
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        fail(name, "be an int", repr(value))
    if value < low or (high is not None and value > high):
        rule = f"be in {low}..{high}" if high is not None else f"be >= {low}"
        fail(name, rule, value)


def check_number(name, value, allow_zero=False, allow_none=False):
    """value is a finite number > 0 (>= 0, or None, where allowed)."""
    if value is None and allow_none:
        return
    ok = (
        isinstance(value, int | float | np.floating)
        and not isinstance(value, bool)
        and math.isfinite(value)
        and (value >= 0 if allow_zero else value > 0)
    )
    if not ok:
        rule = "be a finite number " + (">= 0" if allow_zero else "> 0")
        fail(name, rule + (" or None" if allow_none else ""), repr(value))


def _tensor_type():
    import torch  # only the Triton kernels pass torch dtypes

    return torch.Tensor


def choose_device():
    """'cuda' when a GPU is usable, else 'cpu' under Triton's interpreter.

    TRITON_INTERPRET=1 set beforehand forces the CPU path. Call this
    before importing triton: the interpreter is chosen when @triton.jit
    runs, so a CPU run must set the variable first.
    """
    import torch

    if os.environ.get("TRITON_INTERPRET") == "1":
        return "cpu"
    if torch.cuda.is_available():
        return "cuda"
    os.environ["TRITON_INTERPRET"] = "1"
    return "cpu"


if __name__ == "__main__":
    x = np.ones((4, 3), dtype=np.float32)  # (N, d)
    for call in (
        lambda: check_array("x", x, (None, 3), (np.float32, np.float64)),
        lambda: check_array("x", x, (None, 5), (np.float32, np.float64)),
        lambda: check_array("experts", x, (4, 2), (np.int64,)),
        lambda: check_int("k", 3, 1, 2),
        lambda: check_int("k", True, 1, 2),
        lambda: check_number("capacity_factor", 0.0, allow_none=True),
    ):
        try:
            call()
            print("ok")
        except ValueError as e:
            print("ValueError:", e)
