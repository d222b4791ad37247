"""Benchmark the numpy kernels against their references and their torch
peers, and check them against the targets in bench/targets.toml.

    make bench                     # the full run; writes the tables
    PYTHONPATH=snippets python -m bench.kernels_bench --tiny --out-dir D

`make bench` unsets OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE before Python
starts (this machine sets them for old OpenBLAS builds, and they make
numpy's BLAS run slower kernels), then writes bench/results_attention.md
and bench/results_moe.md, which docs/kernels/*.md include. Every kernel
is called with its defaults. Outputs are compared first; then the
versions take turns, round after round, with an fp32 matmul (the
roofline) in every round, and each time is the median of its rounds, so
all versions and the roofline see the same background load. The header
records the BLAS that ran (threadpoolctl) and the load average; verdicts
are marked not trustworthy when the load average at the start is above
targets.toml's max_load. --tiny runs tiny shapes in a few seconds so that
a test can keep the script runnable; its numbers mean nothing.
"""

import argparse
import datetime
import inspect
import os
import platform
import sys
import time
import tomllib
import tracemalloc
from functools import partial
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_info

try:  # the kernels live in snippets/, which must be on PYTHONPATH
    import kernels_attention_numpy as attn
    import kernels_moe_numpy as moe
except ImportError as e:
    raise SystemExit(
        f"{e}: run `make bench`, or from the repository root "
        "`PYTHONPATH=snippets python -m bench.kernels_bench`"
    ) from e

from bench.torch_peers import sdpa_causal, torch, torch_moe

HERE = Path(__file__).resolve().parent
TARGETS = HERE / "targets.toml"
SAME = 1e-5  # max abs difference allowed between two versions' outputs
FULL = {
    "attn_T": (1024, 2048, 4096),
    "heads": 12,
    "d_head": 64,
    "threads": (1, 2, 4),
    "moe": {"N": 4096, "d": 512, "d_ff": 2048, "E": 8, "k": 2},
    "rounds": 5,
    "matmul": 2048,  # the roofline: an n x n x n fp32 np.matmul
}
TINY = {
    "attn_T": (64, 96, 128),  # stand-ins for FULL's, in the same order
    "heads": 2,
    "d_head": 16,
    "threads": (1, 2),
    "moe": {"N": 64, "d": 16, "d_ff": 32, "E": 4, "k": 2},
    "rounds": 2,
    "matmul": 128,
}


# ----------------------------------------------------------- measuring
def median_times(fns, rounds):
    """Median time of each function over rounds in which all of them run
    in turn, after one warm-up call each (page faults, thread pools)."""
    for f in fns:
        f()
    times = [[] for _ in fns]
    for _ in range(rounds):
        for f, ts in zip(fns, times, strict=True):
            t0 = time.perf_counter()
            f()
            ts.append(time.perf_counter() - t0)
    return [float(np.median(ts)) for ts in times]


def matmul(n):
    """An fp32 n x n x n np.matmul (BLAS on its default threads) and its
    FLOP count: timed in every round, it gives the roofline."""
    rng = np.random.default_rng(0)
    a, b = rng.standard_normal((2, n, n), dtype=np.float32)
    return partial(np.matmul, a, b), 2 * n**3


def peak_bytes(f):
    """Peak memory numpy allocates during one call (tracemalloc)."""
    tracemalloc.start()
    tracemalloc.reset_peak()
    f()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def agree(name, a, b):
    """Max abs difference of two outputs; stop the bench if they differ."""
    err = float(np.abs(np.asarray(a) - np.asarray(b)).max())
    if not err <= SAME:
        raise SystemExit(f"{name}: outputs differ by {err:.1e} > {SAME}")
    return err


# -------------------------------------------------------- the machine
def cpu_name():
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def blas_label():
    """numpy's BLAS as threadpoolctl sees it: library, version, the core
    type it chose and its thread count; and the variables that steer it."""
    libs = [i for i in threadpool_info() if i.get("user_api") == "blas"]
    parts = [
        f"{i.get('internal_api')} {i.get('version')}, core type "
        f"{i.get('architecture', '?')}, {i.get('num_threads')} threads"
        for i in libs
    ] or ["no BLAS found by threadpoolctl"]
    for var in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):
        value = os.environ.get(var)
        parts.append(f"{var} {'unset' if value is None else '=' + value}")
    return "; ".join(parts)


# ----------------------------------------------------------- attention
def attention_inputs(cfg, T):
    rng = np.random.default_rng(T)
    shape = (3, cfg["heads"], T, cfg["d_head"])
    return rng.standard_normal(shape, dtype=np.float32)


def sdpa(q, k, v):
    """torch's causal attention on (1, H, T, d) views of the same data."""
    tq, tk, tv = (torch.from_numpy(a)[None] for a in (q, k, v))
    return sdpa_causal(tq, tk, tv)[0]


def bench_attention_at(cfg, T):
    q, k, v = attention_inputs(cfg, T)
    ref = partial(attn.causal_attention_reference, q, k, v)
    tiled = partial(attn.causal_attention_tiled, q, k, v)  # defaults
    out = tiled()
    row = {"T": T, "err": agree(f"tiled vs reference, T={T}", out, ref())}
    roof, roof_flops = matmul(cfg["matmul"])
    fns = [ref, tiled, roof]
    if torch is not None:
        peer = partial(sdpa, q, k, v)
        row["err_peer"] = agree(f"tiled vs SDPA, T={T}", out, peer().numpy())
        fns.append(peer)
    times = median_times(fns, cfg["rounds"])
    row["t_ref"], row["t_til"], t_roof = times[:3]
    row["roofline"] = roof_flops / t_roof / 1e9
    row["t_peer"] = times[3] if torch is not None else None
    row["m_ref"], row["m_til"] = peak_bytes(ref), peak_bytes(tiled)
    # causal forward FLOPs (FlashAttention-2, Dao 2023, sec. 4.1):
    # 4 T^2 d H for full attention, halved by the causal mask
    row["flops"] = 4 * T * T * cfg["d_head"] * cfg["heads"] / 2
    return row


def bench_threads(cfg, T):
    """The tiled kernel at each thread count (the output must not move)."""
    q, k, v = attention_inputs(cfg, T)
    one = attn.causal_attention_tiled(q, k, v, n_threads=1)
    fns = []
    for n in cfg["threads"]:
        f = partial(attn.causal_attention_tiled, q, k, v, n_threads=n)
        if not np.array_equal(f(), one):
            raise SystemExit(f"n_threads={n} changed the output's bits")
        fns.append(f)
    return dict(zip(cfg["threads"], median_times(fns, 3), strict=True))


def profile_attention(cfg, T):
    """One thread, one head: where the tiled kernel's time goes.

    The loop is _flash_head's and _flash_block's, op for op, with a clock
    around each kind of work; its output is checked against the kernel's.
    """
    q, k, v = attention_inputs(cfg, T)
    sig = inspect.signature(attn.causal_attention_tiled).parameters
    Bq, Bk = sig["block_size"].default, sig["key_block_size"].default
    d = cfg["d_head"]
    kinds = (
        "matmul", "exp2", "diagonal: mask, row max, shift", "overflow check",
        "rescale (rare)", "accumulate", "extend k and v, divide",
    )  # fmt: skip
    clock = dict.fromkeys(kinds, 0.0)
    scores = rescaled = 0  # score entries computed; tiles redone
    out = np.empty((T, d), dtype=np.float32)
    future = np.triu(np.full((Bq, Bq), -np.inf, dtype=np.float32), k=1)
    c = np.float32(attn.LOG2E / np.sqrt(d))
    tick = time.perf_counter
    t_all = tick()
    with (
        attn.BLAS.limit(limits=1, user_api="blas"),
        np.errstate(over="ignore", invalid="ignore"),
    ):
        t = tick()
        k1 = np.ones((T, d + 1), dtype=np.float32)
        k1[:, :d] = k[0]
        v1 = np.ones((T, d + 1), dtype=np.float32)
        v1[:, :d] = v[0]
        tile = np.empty(Bq * Bk, dtype=np.float32)
        clock["extend k and v, divide"] += tick() - t
        for i0 in reversed(range(0, T, Bq)):
            t0 = tick()
            q_i = q[0, i0 : i0 + Bq]
            n = q_i.shape[0]
            i1 = i0 + n
            qm = np.empty((n, d + 1), dtype=np.float32)
            np.multiply(q_i, c, out=qm[:, :d])
            qm[:, d] = 0
            s = qm @ k1[i0:i1].T
            t1 = tick()
            s += future[:n, :n]
            m = s.max(axis=1)
            s -= m[:, None]
            t2 = tick()
            np.exp2(s, out=s)
            t3 = tick()
            acc = s @ v1[i0:i1]
            qm[:, d] = -m
            t4 = tick()
            clock["matmul"] += (t1 - t0) + (t4 - t3)
            clock["diagonal: mask, row max, shift"] += t2 - t1
            clock["exp2"] += t3 - t2
            scores += n * n
            for j1 in range(i0, 0, -Bk):
                j0 = max(j1 - Bk, 0)
                t0 = tick()
                s = tile[: n * (j1 - j0)].reshape(n, j1 - j0)
                np.matmul(qm, k1[j0:j1].T, out=s)
                t1 = tick()
                np.exp2(s, out=s)
                t2 = tick()
                pv = s @ v1[j0:j1]
                t3 = tick()
                grew = ~(pv[:, d] <= attn.LIMIT)
                redo = grew.any()
                t4 = tick()
                if redo:
                    np.matmul(qm, k1[j0:j1].T, out=s)
                    delta = np.where(grew, np.maximum(s.max(axis=1), 0), 0)
                    delta = delta.astype(np.float32)
                    s -= delta[:, None]
                    np.exp2(s, out=s)
                    qm[:, d] -= delta
                    acc *= np.exp2(-delta)[:, None]
                    pv = s @ v1[j0:j1]
                    rescaled += 1
                t5 = tick()
                acc += pv
                t6 = tick()
                clock["matmul"] += (t1 - t0) + (t3 - t2)
                clock["exp2"] += t2 - t1
                clock["overflow check"] += t4 - t3
                clock["rescale (rare)"] += t5 - t4
                clock["accumulate"] += t6 - t5
                scores += n * (j1 - j0)
            t = tick()
            out[i0:i1] = acc[:, :d] / acc[:, d:]
            clock["extend k and v, divide"] += tick() - t
    total = tick() - t_all
    one = [a[:1] for a in (q, k, v)]
    kernel = attn.causal_attention_tiled(*one, n_threads=1)[0]
    if not np.array_equal(out, kernel):
        raise SystemExit("the attention profile loop drifted from the kernel")
    clock["Python and the rest"] = total - sum(clock.values())
    rates = {
        "matmul": f"{4 * d * scores / clock['matmul'] / 1e9:.0f} GFLOP/s",
        "exp2": f"{scores / clock['exp2'] / 1e9:.2f} G/s",
    }
    # why exp2: both ufuncs on one (Bq, Bk) tile of scores, side by side
    tile = np.random.default_rng(0).standard_normal((Bq, Bk), np.float32)
    t_exp, t_exp2 = median_times(
        [partial(np.exp, tile, out=tile.copy()),
         partial(np.exp2, tile, out=tile.copy())],
        20,
    )  # fmt: skip
    note = (
        f"one thread, one head, T = {T}, query block {Bq}, key block {Bk}; "
        f"{scores / (T * (T + 1) / 2):.2f} scores computed per useful one; "
        f"{rescaled} tiles redone with a new shift; on one such tile "
        "numpy's float32 exp runs at "
        f"{tile.size / t_exp / 1e9:.2f} G/s and exp2 at "
        f"{tile.size / t_exp2 / 1e9:.2f} G/s"
    )
    if torch is not None:  # the bound: torch on the same work, one thread
        threads = torch.get_num_threads()
        torch.set_num_threads(1)
        (t_sdpa,) = median_times([partial(sdpa, *one)], 5)
        torch.set_num_threads(threads)
        note += (
            f"; torch SDPA on the same head, one thread: "
            f"{t_sdpa * 1e3:.1f} ms, so the kernel's matmuls alone take "
            f"{clock['matmul'] / t_sdpa:.2f}x and all of it "
            f"{total / t_sdpa:.2f}x SDPA's time"
        )
    return total, clock, rates, note


# ----------------------------------------------------------------- MoE
def moe_layer(c):
    rng = np.random.default_rng(0)
    N, d, d_ff, E = c["N"], c["d"], c["d_ff"], c["E"]
    x = rng.standard_normal((N, d), dtype=np.float32)
    w_gate = (rng.standard_normal((d, E)) / np.sqrt(d)).astype(np.float32)
    w1 = (rng.standard_normal((E, d, d_ff)) / np.sqrt(d)).astype(np.float32)
    w2 = (rng.standard_normal((E, d_ff, d)) / np.sqrt(d_ff)).astype(np.float32)
    return x, w_gate, w1, w2


def profile_moe(args, k):
    """One thread: where moe_dispatch's time goes, stage by stage.

    The stages are moe_dispatch's, op for op (no capacity, as with its
    defaults), with a clock around each; the output is checked against
    the kernel's.
    """
    x, w_gate, w1, w2 = args
    N, d = x.shape
    E = w_gate.shape[1]
    tick = time.perf_counter
    clock = {}
    t_all = tick()
    t = tick()  # the kernel routes before it caps BLAS: so does this
    experts, gates, probs = moe._route(x, w_gate, k)
    e_of = experts.T.reshape(-1)
    order = np.argsort(e_of, kind="stable")
    counts = np.bincount(e_of, minlength=E)
    t_of, r_of = order % N, order // N  # no capacity: all kept
    clock["route and sort"] = tick() - t
    with moe.BLAS.limit(limits=1, user_api="blas"):
        t = tick()
        xs = x[t_of]
        g = gates[t_of, r_of][:, None]
        buf = np.zeros((k, N, d), dtype=x.dtype)
        clock["gather"] = tick() - t
        clock["matmul"] = clock["GELU"] = clock["gate and combine"] = 0.0
        for e, a, b in moe._jobs(counts):
            t0 = tick()
            h = xs[a:b] @ w1[e]
            t1 = tick()
            moe._gelu_tanh(h)
            t2 = tick()
            y = h @ w2[e]
            t3 = tick()
            y *= g[a:b]
            buf[r_of[a:b], t_of[a:b]] = y
            t4 = tick()
            clock["matmul"] += (t1 - t0) + (t3 - t2)
            clock["GELU"] += t2 - t1
            clock["gate and combine"] += t4 - t3
        t = tick()
        out = buf.sum(axis=0)
        moe.aux_loss(experts, probs)
        clock["gate and combine"] += tick() - t
    total = tick() - t_all
    kernel, _ = moe.moe_dispatch(*args, k=k, n_threads=1)
    if not np.array_equal(out, kernel):
        raise SystemExit("the MoE profile loop drifted from the kernel")
    clock["Python and the rest"] = total - sum(clock.values())
    return total, clock, {}, f"one thread, N = {N}"


def bench_moe(cfg):
    c = cfg["moe"]
    args, k = moe_layer(c), c["k"]
    disp = partial(moe.moe_dispatch, *args, k=k)  # defaults otherwise
    disp1 = partial(moe.moe_dispatch, *args, k=k, n_threads=1)
    y, stats = disp()
    # the loop takes seconds: timed once, its matrix-vector products on
    # one BLAS thread (threads only thrash on them)
    t0 = time.perf_counter()
    with moe.BLAS.limit(limits=1, user_api="blas"):
        y_ref, stats_ref = moe.moe_reference(*args, k=k)
    t_loop = time.perf_counter() - t0
    row = {"err": agree("dispatch vs loop", y, y_ref), "t_loop": t_loop}
    if not stats["dropped"] == stats_ref["dropped"] == 0:
        raise SystemExit("the bench layer must drop nothing")
    roof, roof_flops = matmul(cfg["matmul"])
    fns = [disp, disp1, roof]
    if torch is not None:
        targs = [torch.from_numpy(a) for a in args]
        peer = partial(torch_moe, *targs, k)
        row["err_peer"] = agree("dispatch vs torch", y, peer().numpy())
        fns.append(peer)
    times = median_times(fns, cfg["rounds"] + 2)
    row["t_disp"], row["t_one"], t_roof = times[:3]
    row["roofline"] = roof_flops / t_roof / 1e9
    row["t_peer"] = times[3] if torch is not None else None
    kept = int(stats["tokens_per_expert"].sum())
    # router 2 N d E, then per kept pair two matmuls: 2 * 2 d d_ff
    row["flops"] = 2 * c["N"] * c["d"] * c["E"] + kept * 4 * c["d"] * c["d_ff"]
    row["pairs"] = k * c["N"]
    row["profile"] = profile_moe(args, k)
    return row


# ------------------------------------------------------------- targets
def metrics(rows, moe_row):
    """Every number the targets name, from this run's rows. The rows of
    a --tiny run stand in for FULL's sizes, in the same order."""
    out = {}
    for r, T in zip(rows, FULL["attn_T"], strict=True):
        if r["t_peer"] is not None:
            out[f"attention_over_sdpa_T{T}"] = r["t_til"] / r["t_peer"]
        out[f"attention_of_roofline_T{T}"] = (
            r["flops"] / r["t_til"] / 1e9 / r["roofline"]
        )
        out[f"attention_memory_ratio_T{T}"] = r["m_ref"] / r["m_til"]
    out["moe_of_roofline"] = (
        moe_row["flops"] / moe_row["t_disp"] / 1e9 / moe_row["roofline"]
    )
    if moe_row["t_peer"] is not None:
        out["moe_over_torch"] = moe_row["t_disp"] / moe_row["t_peer"]
    return out


def load_targets(path=TARGETS):
    """targets.toml: max_load and the rows; each row has one bound."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    for t in data["target"]:
        if ("at_most" in t) == ("at_least" in t):
            raise SystemExit(f"{path}: {t['metric']} needs one bound")
    return data


def verdict_rows(targets, measured, prefix, trusted, why):
    """The target table's rows for the metrics starting with prefix."""
    lines = []
    for t in targets["target"]:
        if not t["metric"].startswith(prefix):
            continue
        value = measured.get(t["metric"])
        if "at_most" in t:
            bound, ok = f"at most {t['at_most']:g}", None
            if value is not None:
                ok = value <= t["at_most"]
        else:
            bound, ok = f"at least {t['at_least']:g}", None
            if value is not None:
                ok = value >= t["at_least"]
        if value is None:
            shown, text = "not run", "not measured (torch is not installed)"
        else:
            shown = f"{value:.2f}"
            text = "met" if ok else "**not met**"
            if not trusted:
                text += f" (not trustworthy: {why})"
        lines.append(f"| {t['what']} | {bound} | {shown} | {text} |")
    head = ["| target | bound | measured | verdict |", "|---|---:|---:|---|"]
    return head + lines


# ---------------------------------------------------------------- tables
def profile_rows(total, clock, rates, _note):
    rows = [
        f"| {name} | {t * 1e3:.1f} ms | {t / total:.0%} "
        f"| {rates.get(name, '')} |"
        for name, t in clock.items()
    ]
    return rows + [f"| total | {total * 1e3:.1f} ms | 100% | |"]


def attention_table(cfg, header, rows, threads, prof, verdicts):
    mib = 2**20
    peer = rows[0]["t_peer"] is not None
    lines = [
        *header,
        "",
        f"{cfg['heads']} heads x d_head {cfg['d_head']}, fp32, every "
        "kernel with its defaults. Times are medians of "
        f"{cfg['rounds']} rounds in which the versions and the roofline "
        f"(an fp32 {cfg['matmul']}<sup>3</sup> `np.matmul`) take turns. "
        "GFLOP/s counts the useful causal FLOPs, 2 T<sup>2</sup> d H. "
        "Outputs were compared before timing (max abs difference at most "
        f"{SAME}).",
        "",
    ]
    head = "| T | reference | tiled | "
    rule = "|---:|---:|---:|"
    if peer:
        head += "torch SDPA | tiled / SDPA | SDPA GFLOP/s | "
        rule += "---:|---:|---:|"
    lines += [
        head + "tiled GFLOP/s | roofline GFLOP/s | tiled, of roofline |",
        rule + "---:|---:|---:|",
    ]
    for r in rows:
        g = r["flops"] / r["t_til"] / 1e9
        cells = f"| {r['T']} | {r['t_ref']:.3f} s | {r['t_til']:.3f} s | "
        if peer:
            gp = r["flops"] / r["t_peer"] / 1e9
            cells += (
                f"{r['t_peer']:.3f} s | {r['t_til'] / r['t_peer']:.2f}x "
                f"| {gp:.0f} | "
            )
        lines.append(
            cells + f"{g:.0f} | {r['roofline']:.0f} "
            f"| {g / r['roofline']:.0%} |"
        )
    if not peer:
        lines += ["", "torch is not installed: the torch peer is left out."]
    lines += [
        "",
        "| T | reference peak memory | tiled peak memory | memory ratio "
        "| max abs diff vs reference | max abs diff vs SDPA |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        vs_peer = f"{r['err_peer']:.1e}" if peer else "not run"
        lines.append(
            f"| {r['T']} | {r['m_ref'] / mib:.0f} MiB "
            f"| {r['m_til'] / mib:.1f} MiB | {r['m_ref'] / r['m_til']:.0f}x "
            f"| {r['err']:.1e} | {vs_peer} |"
        )
    T = rows[-1]["T"]
    lines += [
        "",
        f"Thread count at T = {T} (`n_threads`; the default is one per "
        f"core, here {os.cpu_count()}), medians of 3 rounds:",
        "",
        "| n_threads | " + " | ".join(str(n) for n in threads) + " |",
        "|---|" + "---:|" * len(threads),
        "| time | "
        + " | ".join(f"{t:.3f} s" for t in threads.values())
        + " |",
        "",
        f"Profile ({prof[3]}; the loop of `_flash_block` with a clock "
        "around each kind of work; rates per score entry computed):",
        "",
        "| work | time | share | rate |",
        "|---|---:|---:|---:|",
        *profile_rows(*prof),
        "",
        *verdicts,
    ]
    return "\n".join(lines) + "\n"


def moe_table(cfg, header, r, verdicts):
    c = cfg["moe"]
    peer = r["t_peer"] is not None
    lines = [
        *header,
        "",
        f"N={c['N']}, d={c['d']}, d_ff={c['d_ff']}, E={c['E']}, "
        f"k={c['k']}, fp32, every kernel with its defaults (no capacity "
        f"limit, so nothing is dropped among the {r['pairs']} "
        f"assignments). Medians of {cfg['rounds'] + 2} rounds in which "
        "the versions and the roofline (an fp32 "
        f"{cfg['matmul']}<sup>3</sup> `np.matmul`, here "
        f"{r['roofline']:.0f} GFLOP/s) take turns; the token loop once, "
        "on one BLAS thread. Outputs were compared before timing: "
        f"dispatch vs loop {r['err']:.1e}"
        + (f", dispatch vs torch {r['err_peer']:.1e}" if peer else "")
        + ".",
        "",
        "| version | time | tokens/s | GFLOP/s | of roofline "
        "| time / dispatch |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    versions = [
        ("token loop (`moe_reference`), one thread", r["t_loop"]),
        ("dispatch, `n_threads=1`", r["t_one"]),
        ("dispatch (`moe_dispatch`, defaults)", r["t_disp"]),
    ]
    if peer:
        versions.append(
            ("torch loop over experts (Mixtral-style)", r["t_peer"])
        )
    for name, t in versions:
        g = r["flops"] / t / 1e9
        lines.append(
            f"| {name} | {t:.3f} s | {c['N'] / t:,.0f} | {g:.0f} "
            f"| {g / r['roofline']:.0%} | {t / r['t_disp']:.2f}x |"
        )
    if not peer:
        lines += ["", "torch is not installed: the torch peer is left out."]
    lines += [
        "",
        f"Profile ({r['profile'][3]}; the stages of `moe_dispatch` with a "
        "clock around each):",
        "",
        "| work | time | share | rate |",
        "|---|---:|---:|---:|",
        *profile_rows(*r["profile"]),
        "",
        *verdicts,
    ]
    return "\n".join(lines) + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--tiny", action="store_true", help="tiny shapes, a few seconds"
    )
    parser.add_argument("--out-dir", type=Path, default=HERE)
    args = parser.parse_args(argv)
    cfg = TINY if args.tiny else FULL
    targets = load_targets()
    load0 = os.getloadavg()[0]
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    if torch is not None:
        torch.set_num_threads(os.cpu_count() or 1)  # the peer on all cores
        peer = f"torch {torch.__version__} ({torch.get_num_threads()} threads)"
    else:
        peer = "torch not installed"

    rows = []
    for T in cfg["attn_T"]:
        rows.append(bench_attention_at(cfg, T))
        print(f"attention T={T}: done", file=sys.stderr)
    threads = bench_threads(cfg, cfg["attn_T"][-1])
    prof = profile_attention(cfg, cfg["attn_T"][-1])
    moe_row = bench_moe(cfg)
    print("MoE: done", file=sys.stderr)

    load1 = os.getloadavg()[0]
    max_load = targets["max_load"]
    trusted = load0 <= max_load and not args.tiny
    why = (
        "tiny shapes"
        if args.tiny
        else f"load average {load0:.1f} > {max_load:g} at the start"
    )
    header = [
        f"Measured by `make bench` on {cpu_name()}, {os.cpu_count()} "
        f"cores; numpy {np.__version__}; BLAS: {blas_label()}; {peer}; "
        f"Python {platform.python_version()}; {stamp}.",
        "",
        f"1-minute load average: {load0:.2f} at the start, {load1:.2f} at "
        "the end. "
        + (
            "The verdicts below can be trusted (load at most "
            f"{max_load:g} at the start)."
            if trusted
            else f"**The verdicts below are not trustworthy: {why}.**"
        ),
    ]
    if args.tiny:
        header.insert(
            0,
            "**Tiny run (`--tiny`): these numbers mean "
            "nothing; it only checks that the bench runs.**\n",
        )
    measured = metrics(rows, moe_row)
    args.out_dir.mkdir(parents=True, exist_ok=True)
    for name, text in (
        (
            "results_attention.md",
            attention_table(
                cfg, header, rows, threads, prof,
                verdict_rows(targets, measured, "attention", trusted, why),
            ),
        ),
        (
            "results_moe.md",
            moe_table(
                cfg, header, moe_row,
                verdict_rows(targets, measured, "moe", trusted, why),
            ),
        ),
    ):  # fmt: skip
        (args.out_dir / name).write_text(text, encoding="utf-8")
        print(text)


if __name__ == "__main__":
    main()
