"""Time the Triton kernels on a CUDA GPU against torch: `make bench-gpu`.

Causal attention against torch's scaled_dot_product_attention (flash
backend) for T up to 16k, and the grouped MoE kernel against a
Mixtral-style torch loop over experts on a Mixtral-sized layer (GELU
experts where Mixtral has SwiGLU), all in fp16. Outputs are compared
first; then each version is timed with triton.testing.do_bench. Rates
are TFLOP/s and a share of the best fp16 matmul rate measured in the same
run. Writes bench/results_gpu.md, which the kernel pages include.

    make bench-gpu                     # on a CUDA machine
    PYTHONPATH=snippets python -m bench.kernels_bench_gpu --tiny --out x.md

--tiny runs tiny fp32 shapes, on the CPU under TRITON_INTERPRET=1 when
there is no GPU: a test runs it so that the script cannot rot. Its
timings mean nothing and its table says so.
"""

import argparse
import datetime
import time
from pathlib import Path

import torch
from kernels_contract import choose_device  # snippets/ is on PYTHONPATH

from bench.torch_peers import sdpa_causal, torch_moe

DEVICE = choose_device()  # before triton is imported: it picks the backend

import triton  # noqa: E402
from kernels_attention_triton import causal_attention_triton  # noqa: E402
from kernels_moe_triton import moe_dispatch_triton  # noqa: E402

HERE = Path(__file__).resolve().parent

FULL = {
    "dtype": torch.float16,
    "tol": 2e-2,  # fp16 outputs of two different summation orders
    "batch": 4,
    "heads": 32,
    "d_head": 64,
    "T": (1024, 2048, 4096, 8192, 16384),
    "attn_block": 64,
    # Mixtral 8x7B's layer sizes (Jiang et al. 2024, Table 1)
    "moe": {"N": 4096, "d": 4096, "d_ff": 14336, "E": 8, "k": 2},
    "moe_blocks": {"block_m": 64, "block_n": 64, "block_k": 32},
    "matmul": 8192,
}
TINY = {
    "dtype": torch.float32,
    "tol": 1e-4,
    "batch": 1,
    "heads": 2,
    "d_head": 16,
    "T": (33, 64),
    "attn_block": 16,
    "moe": {"N": 24, "d": 16, "d_ff": 32, "E": 4, "k": 2},
    "moe_blocks": {"block_m": 16, "block_n": 16, "block_k": 16},
    "matmul": 64,
}


def timed(fn):
    """Milliseconds per call: do_bench on a GPU, one call on the CPU."""
    if DEVICE == "cuda":
        return triton.testing.do_bench(fn)
    t0 = time.perf_counter()
    fn()
    return (time.perf_counter() - t0) * 1e3


def max_diff(a, b):
    return float((a.float() - b.float()).abs().max())


def check(name, a, b, tol):
    err = max_diff(a, b)
    if not err <= tol:
        raise SystemExit(f"{name}: outputs differ by {err:.1e} > {tol}")
    return err


def matmul_peak(cfg):
    n = cfg["matmul"]
    a = torch.randn((n, n), dtype=cfg["dtype"], device=DEVICE)
    b = torch.randn((n, n), dtype=cfg["dtype"], device=DEVICE)
    return 2 * n**3 / timed(lambda: a @ b) / 1e9  # TFLOP/s


SDPA_NAME = "SDPA, flash" if DEVICE == "cuda" else "SDPA"


def bench_attention(cfg, peak):
    B, H, d = cfg["batch"], cfg["heads"], cfg["d_head"]
    rows = []
    for T in cfg["T"]:
        g = torch.Generator(device=DEVICE).manual_seed(T)
        q, k, v = torch.randn(
            (3, B, H, T, d), dtype=cfg["dtype"], device=DEVICE, generator=g
        )
        # our kernel takes (n_heads, T, d): batch and heads flattened
        flat = [a.reshape(B * H, T, d) for a in (q, k, v)]

        def ours(flat=flat):
            return causal_attention_triton(*flat, cfg["attn_block"])

        def peer(q=q, k=k, v=v):
            return sdpa_causal(q, k, v)

        err = check(
            f"attention T={T}", ours(), peer().reshape(B * H, T, d), cfg["tol"]
        )
        # causal forward FLOPs (FlashAttention-2, sec. 4.1): 2 T^2 d H
        flops = 2 * T * T * d * B * H
        rows.append((f"attention, T={T}", ours, peer, flops, err, SDPA_NAME))
    return [measure(r, peak) for r in rows]


def bench_moe(cfg, peak):
    c = cfg["moe"]
    N, d, d_ff, E, k = c["N"], c["d"], c["d_ff"], c["E"], c["k"]
    g = torch.Generator(device=DEVICE).manual_seed(0)

    def rand(*shape, scale=1.0):
        return (torch.randn(shape, device=DEVICE, generator=g) * scale).to(
            cfg["dtype"]
        )

    x = rand(N, d)
    w_gate = rand(d, E, scale=d**-0.5)
    w1 = rand(E, d, d_ff, scale=d**-0.5)
    w2 = rand(E, d_ff, d, scale=d_ff**-0.5)

    def ours():
        return moe_dispatch_triton(x, w_gate, w1, w2, k, **cfg["moe_blocks"])[
            0
        ]

    def peer():
        return torch_moe(x, w_gate, w1, w2, k)

    err = check("MoE", ours(), peer(), cfg["tol"])
    flops = 2 * N * d * E + N * k * 4 * d * d_ff
    name = f"MoE, N={N} d={d} d_ff={d_ff} E={E} k={k}"
    return [measure((name, ours, peer, flops, err, "torch loop"), peak)]


def measure(row, peak):
    name, ours, peer, flops, err, peer_name = row
    t_ours, t_peer = timed(ours), timed(peer)
    tf_ours, tf_peer = flops / t_ours / 1e9, flops / t_peer / 1e9
    return (
        f"| {name} | {peer_name} | {t_ours:.3f} ms | {t_peer:.3f} ms "
        f"| {t_ours / t_peer:.2f}x | {tf_ours:.1f} | {tf_peer:.1f} "
        f"| {tf_ours / peak:.0%} | {err:.1e} |"
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tiny", action="store_true")
    parser.add_argument("--out", type=Path, default=HERE / "results_gpu.md")
    args = parser.parse_args(argv)
    if DEVICE != "cuda" and not args.tiny:
        raise SystemExit(
            "no CUDA GPU here: the GPU bench needs one (--tiny only checks "
            "that the script runs, under the Triton interpreter)"
        )
    cfg = TINY if args.tiny else FULL
    torch.manual_seed(0)
    peak = matmul_peak(cfg)
    rows = bench_attention(cfg, peak) + bench_moe(cfg, peak)
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    where = (
        torch.cuda.get_device_name()
        if DEVICE == "cuda"
        else "CPU (interpreter)"
    )
    dtype = str(cfg["dtype"]).replace("torch.", "")
    lines = [
        f"Measured by `make bench-gpu` on {where}; torch {torch.__version__}, "
        f"Triton {triton.__version__}; {dtype}; {stamp}. Outputs were "
        f"compared before timing (max abs difference at most {cfg['tol']}). "
        f"Peak: the best {cfg['matmul']}<sup>3</sup> {dtype} `torch.matmul` "
        f"rate in the same run, **{peak:.1f} TFLOP/s**. Attention: batch "
        f"{cfg['batch']} x {cfg['heads']} heads x d_head {cfg['d_head']}, "
        "causal, FLOPs 2 T<sup>2</sup> d H.",
        "",
        "| kernel | peer | Triton | peer | Triton / peer | Triton TFLOP/s "
        "| peer TFLOP/s | Triton, of peak | max abs diff |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
        *rows,
    ]
    if args.tiny:
        lines.insert(
            0,
            "**Tiny shapes, run to check the script: these timings mean "
            "nothing.**\n",
        )
    text = "\n".join(lines) + "\n"
    args.out.write_text(text)
    print(text)


if __name__ == "__main__":
    main()
