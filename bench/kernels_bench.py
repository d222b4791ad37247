"""Benchmark the numpy kernels against their references: `make bench`.

Prints and writes bench/results_attention.md and bench/results_moe.md,
which docs/kernels/*.md include: time, peak traced memory and GFLOP/s as
a fraction of a numpy matmul roofline measured in the same run. This is a
script, not a test: timings vary from run to run (15-20% on a quiet
2-core VM, more when other jobs share it), so each is a best of a few.
"""

import datetime
import json
import os
import platform
import subprocess
import sys
import time
import tracemalloc
from functools import partial
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "snippets"))

from kernels_attention_numpy import (  # noqa: E402
    causal_attention_reference,
    causal_attention_tiled,
)
from kernels_moe_numpy import moe_dispatch, moe_reference  # noqa: E402

ATTN_T = (1024, 2048, 4096)
ATTN_H, ATTN_D, ATTN_BLOCK = 12, 64, 128
MOE = {"N": 4096, "d": 512, "d_ff": 2048, "E": 8, "k": 2, "cf": 1.25}


def best_times(fns, repeats):
    """Best-of-n time of each function, run in turn so that both see the
    same background load; the minimum is the run least disturbed by it."""
    for f in fns:
        f()  # warm-up: page faults, BLAS thread start
    best = [float("inf")] * len(fns)
    for _ in range(repeats):
        for i, f in enumerate(fns):
            t0 = time.perf_counter()
            f()
            best[i] = min(best[i], time.perf_counter() - t0)
    return best


def peak_bytes(f):
    """Peak memory numpy allocates during one call (tracemalloc)."""
    tracemalloc.start()
    tracemalloc.reset_peak()
    f()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def cpu_name():
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def blas_name():
    try:
        cfg = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        return f"{cfg.get('name', '?')} {cfg.get('version', '')}".strip()
    except Exception:  # noqa: BLE001 - only a label
        return "unknown BLAS"


def roofline():
    """fp32 GFLOP/s of one large np.matmul, the best this BLAS does."""
    rng = np.random.default_rng(0)
    n = 2048
    a = rng.standard_normal((n, n), dtype=np.float32)
    b = rng.standard_normal((n, n), dtype=np.float32)
    (t,) = best_times([lambda: a @ b], 10)
    return 2 * n**3 / t / 1e9


def attention_inputs(T):
    rng = np.random.default_rng(T)
    return rng.standard_normal((3, ATTN_H, T, ATTN_D), dtype=np.float32)


def threaded_child(T):
    """Run in a child process whose BLAS is single-threaded: time the tiled
    kernel with one thread per head group, print the result as JSON."""
    q, k, v = attention_inputs(T)
    tiled2 = partial(causal_attention_tiled, q, k, v, ATTN_BLOCK, 2)
    (t,) = best_times([tiled2], 5)
    same = bool(np.array_equal(tiled2(), causal_attention_tiled(q, k, v, 128)))
    print(json.dumps({"t": t, "m": peak_bytes(tiled2), "same": same}))


def bench_threaded(T):
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1")
    res = subprocess.run(
        [sys.executable, __file__, "--threaded-child", str(T)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(res.stdout)


def bench_attention_at(T):
    q, k, v = attention_inputs(T)
    ref = partial(causal_attention_reference, q, k, v)
    tiled = partial(causal_attention_tiled, q, k, v, ATTN_BLOCK)
    err = float(np.abs(tiled() - ref()).max())
    # causal forward FLOPs (FlashAttention-2, Dao 2023, sec. 4.1):
    # 4 T^2 d H for full attention, halved by the causal mask
    flops = 4 * T * T * ATTN_D * ATTN_H / 2
    t_ref, t_til = best_times([ref, tiled], 5)
    two = bench_threaded(T)
    return {
        "T": T,
        "t_ref": t_ref,
        "t_til": t_til,
        "t_two": two["t"],
        "m_ref": peak_bytes(ref),
        "m_til": max(peak_bytes(tiled), two["m"]),
        "g_ref": flops / t_ref / 1e9,
        "g_til": flops / t_til / 1e9,
        "g_two": flops / two["t"] / 1e9,
        "err": err,
        "same": two["same"],
    }


ROOFLINE = []  # every roofline sample of this run; the best one is used


def bench_attention():
    rows = []
    for T in ATTN_T:
        ROOFLINE.append(roofline())
        rows.append(bench_attention_at(T))
        print(f"attention T={T}: done", file=sys.stderr)
    return rows


def bench_moe():
    c = MOE
    rng = np.random.default_rng(0)
    N, d, d_ff, E, k = c["N"], c["d"], c["d_ff"], c["E"], c["k"]
    x = rng.standard_normal((N, d), dtype=np.float32)
    w_gate = (rng.standard_normal((d, E)) / np.sqrt(d)).astype(np.float32)
    w1 = (rng.standard_normal((E, d, d_ff)) / np.sqrt(d)).astype(np.float32)
    w2 = (rng.standard_normal((E, d_ff, d)) / np.sqrt(d_ff)).astype(np.float32)
    args = (x, w_gate, w1, w2)
    y, stats = moe_dispatch(*args, k=k, capacity_factor=c["cf"])
    (t_disp,) = best_times(
        [
            lambda: moe_dispatch(
                *args, k=k, capacity_factor=c["cf"], n_threads=2
            )
        ],
        7,
    )
    # the loop takes seconds: two runs, the warm-up one included
    t_loop = float("inf")
    for _ in range(2):
        t0 = time.perf_counter()
        y_ref, stats_ref = moe_reference(*args, k=k, capacity_factor=c["cf"])
        t_loop = min(t_loop, time.perf_counter() - t0)
    kept = int(stats["tokens_per_expert"].sum())
    # router 2 N d E, then per kept pair two matmuls: 2 * 2 d d_ff
    flops = 2 * N * d * E + kept * 4 * d * d_ff
    return {
        "t_disp": t_disp,
        "t_loop": t_loop,
        "g_disp": flops / t_disp / 1e9,
        "g_loop": flops / t_loop / 1e9,
        "dropped": stats["dropped"],
        "pairs": k * N,
        "err": float(np.abs(y - y_ref).max()),
        "same_stats": stats["dropped"] == stats_ref["dropped"],
    }


def verdict(ok):
    return "met" if ok else "**not met**"


def attention_table(label, peak, attn):
    mb = 2**20
    lines = [
        f"Measured by `make bench` on {label}. Roofline: the best of "
        f"{10 * len(ROOFLINE)} fp32 2048 x 2048 x 2048 `np.matmul` calls "
        f"spread over the run, **{peak:.0f} GFLOP/s**. Times are the best "
        "of 5 "
        f"calls. {ATTN_H} heads x d_head {ATTN_D}, fp32, tiled with block "
        f"{ATTN_BLOCK}. *1 thread*: one Python thread, numpy's BLAS on all "
        "cores, like the reference. *2 threads*: `n_threads=2`, each "
        "thread owning half the heads, in a process with "
        "`OPENBLAS_NUM_THREADS=1` so that the threads do not fight BLAS "
        "for the cores; its output is bit-identical to the 1-thread run: "
        f"{all(r['same'] for r in attn)}. GFLOP/s counts the useful causal "
        "FLOPs, 2 T<sup>2</sup> d H; the last columns compare the faster "
        "tiled run with the reference.",
        "",
        "| T | reference | tiled, 1 thread | tiled, 2 threads "
        "| reference GFLOP/s | tiled GFLOP/s (1 / 2 threads) "
        "| tiled, of roofline | speed-up | reference peak memory "
        "| tiled peak memory | memory ratio | max abs diff |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in attn:
        t_best = min(r["t_til"], r["t_two"])
        g_best = max(r["g_til"], r["g_two"])
        lines.append(
            f"| {r['T']} | {r['t_ref']:.3f} s | {r['t_til']:.3f} s "
            f"| {r['t_two']:.3f} s | {r['g_ref']:.0f} "
            f"| {r['g_til']:.0f} / {r['g_two']:.0f} "
            f"| {g_best / peak:.0%} | {r['t_ref'] / t_best:.1f}x "
            f"| {r['m_ref'] / mb:.0f} MB | {r['m_til'] / mb:.1f} MB "
            f"| {r['m_ref'] / r['m_til']:.0f}x | {r['err']:.1e} |"
        )
    last = attn[-1]
    t_best = min(last["t_til"], last["t_two"])
    mem, speed = last["m_ref"] / last["m_til"], last["t_ref"] / t_best
    frac = max(last["g_til"], last["g_two"]) / peak
    lines += [
        "",
        f"| target at T = {last['T']} | measured | verdict |",
        "|---|---:|---|",
        f"| peak memory at least 20x below the reference | {mem:.0f}x "
        f"| {verdict(mem >= 20)} |",
        f"| no slower than the reference | {speed:.1f}x faster "
        f"| {verdict(speed >= 1)} |",
        f"| at least 25% of the matmul roofline | {frac:.1%} "
        f"| {verdict(frac >= 0.25)} |",
    ]
    return "\n".join(lines) + "\n"


def moe_table(label, peak, moe):
    c = MOE
    speed = moe["t_loop"] / moe["t_disp"]
    frac = moe["g_disp"] / peak
    lines = [
        f"Measured by `make bench` on {label}. Roofline: the best of "
        f"{10 * len(ROOFLINE)} fp32 2048 x 2048 x 2048 `np.matmul` calls "
        f"spread over the run, **{peak:.0f} GFLOP/s**. Dispatch: best of "
        "7 calls, "
        "`n_threads=2` for the GELU; "
        f"loop: best of 2 calls. N={c['N']}, d={c['d']}, d_ff={c['d_ff']}, "
        f"E={c['E']}, k={c['k']}, capacity factor {c['cf']}, fp32; "
        f"{moe['dropped']} of {moe['pairs']} assignments dropped; max abs "
        f"difference dispatch vs loop {moe['err']:.1e}.",
        "",
        "| version | time | tokens/s | GFLOP/s | of roofline | speed-up |",
        "|---|---:|---:|---:|---:|---:|",
        f"| token loop (`moe_reference`) | {moe['t_loop']:.2f} s "
        f"| {c['N'] / moe['t_loop']:,.0f} | {moe['g_loop']:.0f} "
        f"| {moe['g_loop'] / peak:.0%} | 1.0x |",
        f"| sorted dispatch (`moe_dispatch`) | {moe['t_disp']:.3f} s "
        f"| {c['N'] / moe['t_disp']:,.0f} | {moe['g_disp']:.0f} "
        f"| {frac:.0%} | {speed:.1f}x |",
        "",
        "| target | measured | verdict |",
        "|---|---:|---|",
        f"| dispatch at least 10x the loop | {speed:.1f}x "
        f"| {verdict(speed >= 10)} |",
        f"| at least 60% of the matmul roofline | {frac:.1%} "
        f"| {verdict(frac >= 0.6)} |",
    ]
    return "\n".join(lines) + "\n"


def main():
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    label = (
        f"{cpu_name()}, {os.cpu_count()} cores; numpy {np.__version__} "
        f"({blas_name()}); Python {platform.python_version()}; {stamp}"
    )
    load0 = os.getloadavg()[0]
    attn = bench_attention()
    ROOFLINE.append(roofline())
    moe = bench_moe()
    ROOFLINE.append(roofline())
    # other jobs can only slow a sample down, so the best one is the peak
    peak = max(ROOFLINE)
    # other jobs on the machine skew timings: say how busy it was
    label += (
        f"; 1-minute load average {load0:.1f} at the start, "
        f"{os.getloadavg()[0]:.1f} at the end"
    )
    for name, text in (
        ("results_attention.md", attention_table(label, peak, attn)),
        ("results_moe.md", moe_table(label, peak, moe)),
    ):
        (ROOT / "bench" / name).write_text(text)
        print(text)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--threaded-child"]:
        threaded_child(int(sys.argv[2]))
    else:
        main()
