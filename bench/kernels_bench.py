"""Benchmark the numpy kernels against their references and their torch
peers: `make bench`.

Prints and writes bench/results_attention.md and bench/results_moe.md,
which docs/kernels/*.md include. Every kernel is called with its defaults.
Outputs are compared first; then each is timed best-of-n, the versions
interleaved so that all see the same background load. Without torch the
peer rows are left out and the tables say so. This is a script, not a
test: timings vary from run to run (15-20% on a quiet 2-core VM, more
when other jobs share it), so the tables print the load average.
"""

import datetime
import os
import platform
import sys
import time
import tracemalloc
from functools import partial
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "snippets"))

import kernels_attention_numpy as attn  # noqa: E402
import kernels_moe_numpy as moe  # noqa: E402

try:
    import torch
except ImportError:  # the bench is not a test: say so, leave peers out
    torch = None

ATTN_T = (1024, 2048, 4096)
ATTN_H, ATTN_D = 12, 64
THREADS = (1, 2, 4)
MOE = {"N": 4096, "d": 512, "d_ff": 2048, "E": 8, "k": 2}
SAME = 1e-5  # max abs difference allowed between two versions' outputs
ROOFLINE = []  # every roofline sample of this run; the best one is used


def best_times(fns, repeats):
    """Best-of-n time of each function, run in turn so that all see the
    same background load; the minimum is the run least disturbed by it."""
    for f in fns:
        f()  # warm-up: page faults, thread pools
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


def agree(name, a, b):
    """Max abs difference of two outputs; stop the bench if they differ."""
    err = float(np.abs(np.asarray(a) - np.asarray(b)).max())
    if not err <= SAME:
        raise SystemExit(f"{name}: outputs differ by {err:.1e} > {SAME}")
    return err


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


# ------------------------------------------------------------- attention
def attention_inputs(T):
    rng = np.random.default_rng(T)
    return rng.standard_normal((3, ATTN_H, T, ATTN_D), dtype=np.float32)


def sdpa(q, k, v):
    """torch's causal attention on (1, H, T, d) views of the same data."""
    tq, tk, tv = (torch.from_numpy(a)[None] for a in (q, k, v))
    F = torch.nn.functional
    return F.scaled_dot_product_attention(tq, tk, tv, is_causal=True)[0]


def bench_attention_at(T):
    q, k, v = attention_inputs(T)
    ref = partial(attn.causal_attention_reference, q, k, v)
    tiled = partial(attn.causal_attention_tiled, q, k, v)  # defaults
    out = tiled()
    row = {"T": T, "err": agree(f"tiled vs reference, T={T}", out, ref())}
    fns = [ref, tiled]
    if torch is not None:
        peer = partial(sdpa, q, k, v)
        row["err_peer"] = agree(f"tiled vs SDPA, T={T}", out, peer().numpy())
        fns.append(peer)
    times = best_times(fns, 5)
    row["t_ref"], row["t_til"] = times[:2]
    row["t_peer"] = times[2] if torch is not None else None
    row["m_ref"], row["m_til"] = peak_bytes(ref), peak_bytes(tiled)
    # causal forward FLOPs (FlashAttention-2, Dao 2023, sec. 4.1):
    # 4 T^2 d H for full attention, halved by the causal mask
    row["flops"] = 4 * T * T * ATTN_D * ATTN_H / 2
    return row


def bench_threads(T):
    """The tiled kernel at each thread count, and at its default."""
    q, k, v = attention_inputs(T)
    one = attn.causal_attention_tiled(q, k, v, n_threads=1)
    fns = []
    for n in THREADS:
        f = partial(attn.causal_attention_tiled, q, k, v, n_threads=n)
        assert np.array_equal(f(), one), f"n_threads={n} changed the bits"
        fns.append(f)
    return dict(zip(THREADS, best_times(fns, 3), strict=True))


def profile_attention(T, B=256):
    """One thread, one head: where the tiled kernel's time goes.

    The loop is _flash_block's, op for op, with a clock around each kind
    of work; its output is checked against the kernel's.
    """
    q, k, v = attention_inputs(T)
    h, d = 0, ATTN_D
    clock = {"matmul": 0.0, "exp": 0.0, "other numpy": 0.0}
    out = np.empty((T, d), dtype=np.float32)
    future = np.triu(np.full((B, B), -np.inf, dtype=np.float32), k=1)
    tick = time.perf_counter
    t_all = tick()
    with attn.BLAS.limit(limits=1, user_api="blas"):
        for i0 in reversed(range(0, T, B)):
            i1 = min(i0 + B, T)
            t = tick()
            q_i = q[h, i0:i1] * np.float32(1 / np.sqrt(d))
            m = np.full((i1 - i0, 1), -np.inf, dtype=np.float32)
            ell = np.zeros((i1 - i0, 1), dtype=np.float32)
            acc = np.zeros((i1 - i0, d), dtype=np.float32)
            clock["other numpy"] += tick() - t
            for j0 in range(0, i1, B):
                j1 = min(j0 + B, T)
                t0 = tick()
                s = q_i @ k[h, j0:j1].T
                t1 = tick()
                if j0 == i0:
                    s += future[: i1 - i0, : i1 - i0]
                m_new = np.maximum(m, s.max(axis=1, keepdims=True))
                np.subtract(s, m_new, out=s)
                t2 = tick()
                p = np.exp(s, out=s)
                alpha = np.exp(m - m_new)
                t3 = tick()
                ell = alpha * ell + p.sum(axis=1, keepdims=True)
                acc *= alpha
                t4 = tick()
                pv = p @ v[h, j0:j1]
                t5 = tick()
                acc += pv
                m = m_new
                t6 = tick()
                clock["matmul"] += (t1 - t0) + (t5 - t4)
                clock["exp"] += t3 - t2
                clock["other numpy"] += (t2 - t1) + (t4 - t3) + (t6 - t5)
            t = tick()
            out[i0:i1] = acc / ell
            clock["other numpy"] += tick() - t
    total = tick() - t_all
    kernel = attn.causal_attention_tiled(q[:1], k[:1], v[:1], B, 1)[0]
    assert np.array_equal(out, kernel), "the profile loop drifted"
    clock["Python and the rest"] = total - sum(clock.values())
    # what each kind of work achieves: matmul FLOPs and exps per second
    n_tiles = sum(len(range(0, i1, B)) for i1 in range(B, T + B, B))
    rates = {
        "matmul": f"{4 * n_tiles * B * B * d / clock['matmul'] / 1e9:.0f} "
        "GFLOP/s",
        "exp": f"{n_tiles * B * B / clock['exp'] / 1e9:.2f} G exp/s",
    }
    return total, clock, rates


# ------------------------------------------------------------------- MoE
def moe_layer():
    c = MOE
    rng = np.random.default_rng(0)
    N, d, d_ff, E = c["N"], c["d"], c["d_ff"], c["E"]
    x = rng.standard_normal((N, d), dtype=np.float32)
    w_gate = (rng.standard_normal((d, E)) / np.sqrt(d)).astype(np.float32)
    w1 = (rng.standard_normal((E, d, d_ff)) / np.sqrt(d)).astype(np.float32)
    w2 = (rng.standard_normal((E, d_ff, d)) / np.sqrt(d_ff)).astype(np.float32)
    return x, w_gate, w1, w2


def torch_moe(x, w_gate, w1, w2, k):
    """A Mixtral-style torch loop over experts (the shape of Hugging Face's
    sparse MoE block): softmax, top-k, renormalise, per-expert gather,
    tanh GELU, index_add_. Dropless, like the kernel's defaults."""
    F = torch.nn.functional
    E = w_gate.shape[1]
    probs = torch.softmax(x.float() @ w_gate.float(), dim=1)  # (N, E)
    top, experts = torch.topk(probs, k, dim=1)  # (N, k)
    top = top / top.sum(dim=1, keepdim=True)
    y = torch.zeros_like(x)
    mask = F.one_hot(experts, E).permute(2, 1, 0)  # (E, k, N)
    for e in range(E):
        rank, tok = torch.where(mask[e])
        h = F.gelu(x[tok] @ w1[e], approximate="tanh")
        y.index_add_(0, tok, ((h @ w2[e]) * top[tok, rank, None]).to(y.dtype))
    return y


def profile_moe(args, k):
    """One thread: where moe_dispatch's time goes, stage by stage.

    The stages are moe_dispatch's, op for op, with a clock around each;
    the output is checked against the kernel's.
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
        ends = np.cumsum(counts)
        for e in range(E):
            for a in range(int(ends[e] - counts[e]), int(ends[e]), moe.ROWS):
                b = min(a + moe.ROWS, int(ends[e]))
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
    assert np.array_equal(out, kernel), "the profile loop drifted"
    clock["Python and the rest"] = total - sum(clock.values())
    return total, clock


def bench_moe():
    c = MOE
    args, k = moe_layer(), c["k"]
    disp = partial(moe.moe_dispatch, *args, k=k)  # defaults otherwise
    disp1 = partial(moe.moe_dispatch, *args, k=k, n_threads=1)
    y, stats = disp()
    # the loop takes seconds: timed once, its matrix-vector products on
    # one BLAS thread (threads only thrash on them, 4x slower under load)
    t0 = time.perf_counter()
    with moe.BLAS.limit(limits=1, user_api="blas"):
        y_ref, stats_ref = moe.moe_reference(*args, k=k)
    t_loop = time.perf_counter() - t0
    row = {"err": agree("dispatch vs loop", y, y_ref), "t_loop": t_loop}
    assert stats["dropped"] == stats_ref["dropped"] == 0
    fns = [disp, disp1]
    if torch is not None:
        targs = [torch.from_numpy(a) for a in args]
        peer = partial(torch_moe, *targs, k)
        row["err_peer"] = agree("dispatch vs torch", y, peer().numpy())
        fns.append(peer)
    times = best_times(fns, 7)
    row["t_disp"], row["t_one"] = times[:2]
    row["t_peer"] = times[2] if torch is not None else None
    kept = int(stats["tokens_per_expert"].sum())
    # router 2 N d E, then per kept pair two matmuls: 2 * 2 d d_ff
    row["flops"] = 2 * c["N"] * c["d"] * c["E"] + kept * 4 * c["d"] * c["d_ff"]
    row["pairs"] = k * c["N"]
    row["profile"] = profile_moe(args, k)
    return row


# ---------------------------------------------------------------- tables
def verdict(ok):
    return "met" if ok else "**not met**"


def profile_rows(total, clock, rates=None):
    rates = rates or {}
    rows = [
        f"| {name} | {t * 1e3:.0f} ms | {t / total:.0%} "
        f"| {rates.get(name, '')} |"
        for name, t in clock.items()
    ]
    return rows + [f"| total | {total * 1e3:.0f} ms | 100% | |"]


def attention_table(label, peak, rows, threads, prof):
    mb = 2**20
    peer = rows[0]["t_peer"] is not None
    lines = [
        f"Measured by `make bench` on {label}. Roofline: the best of "
        f"{10 * len(ROOFLINE)} fp32 2048 x 2048 x 2048 `np.matmul` calls "
        f"spread over the run, **{peak:.0f} GFLOP/s**. {ATTN_H} heads x "
        f"d_head {ATTN_D}, fp32, every kernel with its defaults; times "
        "are the best of 5 calls, the versions taking turns. GFLOP/s "
        "counts the useful causal FLOPs, 2 T<sup>2</sup> d H. Outputs "
        f"were compared before timing (max abs difference at most {SAME}).",
        "",
    ]
    head = "| T | reference | tiled | "
    rule = "|---:|---:|---:|"
    if peer:
        head += "torch SDPA | tiled / SDPA | "
        rule += "---:|---:|"
    lines += [
        head + "reference / tiled | tiled GFLOP/s | of roofline |",
        rule + "---:|---:|---:|",
    ]
    for r in rows:
        g = r["flops"] / r["t_til"] / 1e9
        cells = f"| {r['T']} | {r['t_ref']:.3f} s | {r['t_til']:.3f} s | "
        if peer:
            cells += (
                f"{r['t_peer']:.3f} s | {r['t_til'] / r['t_peer']:.2f}x | "
            )
        lines.append(
            cells + f"{r['t_ref'] / r['t_til']:.1f}x | {g:.0f} "
            f"| {g / peak:.0%} |"
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
            f"| {r['T']} | {r['m_ref'] / mb:.0f} MB | {r['m_til'] / mb:.1f} MB"
            f" | {r['m_ref'] / r['m_til']:.0f}x | {r['err']:.1e} "
            f"| {vs_peer} |"
        )
    T = rows[-1]["T"]
    lines += [
        "",
        f"Thread count at T = {T} (`n_threads`; the default is one per "
        f"core, here {os.cpu_count()}), best of 3:",
        "",
        "| n_threads | " + " | ".join(str(n) for n in threads) + " |",
        "|---|" + "---:|" * len(threads),
        "| time | "
        + " | ".join(f"{t:.3f} s" for t in threads.values())
        + " |",
        "",
        f"Profile: one thread, one head, T = {T}, block 256 (the loop of "
        "`_flash_block` with a clock around each kind of work):",
        "",
        "| work | time | share | rate |",
        "|---|---:|---:|---:|",
        *profile_rows(*prof),
    ]
    last = rows[-1]
    mem = last["m_ref"] / last["m_til"]
    one = threads[1]
    worst = max(threads.values())
    lines += [
        "",
        f"| target at T = {T} | measured | verdict |",
        "|---|---:|---|",
    ]
    if peer:
        ratio = last["t_til"] / last["t_peer"]
        lines.append(
            f"| at most 1.25x torch SDPA's time | {ratio:.2f}x "
            f"| {verdict(ratio <= 1.25)} |"
        )
    lines += [
        f"| no thread count slower than one thread | slowest "
        f"{worst / one:.2f}x of one thread | {verdict(worst <= one)} |",
        f"| peak memory at least 20x below the reference | {mem:.0f}x "
        f"| {verdict(mem >= 20)} |",
    ]
    return "\n".join(lines) + "\n"


def moe_table(label, peak, r):
    c = MOE
    peer = r["t_peer"] is not None
    frac = r["flops"] / r["t_disp"] / 1e9 / peak
    lines = [
        f"Measured by `make bench` on {label}. Roofline: the best of "
        f"{10 * len(ROOFLINE)} fp32 2048 x 2048 x 2048 `np.matmul` calls "
        f"spread over the run, **{peak:.0f} GFLOP/s**. N={c['N']}, "
        f"d={c['d']}, d_ff={c['d_ff']}, E={c['E']}, k={c['k']}, fp32, "
        "every kernel with its defaults (no capacity limit, so nothing is "
        f"dropped among the {r['pairs']} assignments). Best of 7 calls, "
        "the versions taking turns; the token loop once, on one BLAS "
        "thread. Outputs were "
        f"compared before timing: dispatch vs loop {r['err']:.1e}"
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
            f"| {g / peak:.0%} | {t / r['t_disp']:.2f}x |"
        )
    if not peer:
        lines += ["", "torch is not installed: the torch peer is left out."]
    lines += [
        "",
        "Profile: one thread (the stages of `moe_dispatch` with a clock "
        "around each):",
        "",
        "| work | time | share | rate |",
        "|---|---:|---:|---:|",
        *profile_rows(*r["profile"]),
        "",
        "| target | measured | verdict |",
        "|---|---:|---|",
    ]
    if peer:
        ratio = r["t_disp"] / r["t_peer"]
        lines.append(
            f"| at most 1.0x the torch loop's time | {ratio:.2f}x "
            f"| {verdict(ratio <= 1.0)} |"
        )
    lines.append(
        f"| at least 70% of the matmul roofline | {frac:.0%} "
        f"| {verdict(frac >= 0.7)} |"
    )
    return "\n".join(lines) + "\n"


def main():
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    if torch is not None:
        torch.set_num_threads(os.cpu_count() or 1)  # the peer on all cores
        peer = f"torch {torch.__version__} ({torch.get_num_threads()} threads)"
    else:
        peer = "torch not installed"
    label = (
        f"{cpu_name()}, {os.cpu_count()} cores; numpy {np.__version__} "
        f"({blas_name()}); {peer}; Python {platform.python_version()}; "
        f"{stamp}"
    )
    load0 = os.getloadavg()[0]
    rows = []
    for T in ATTN_T:
        ROOFLINE.append(roofline())
        rows.append(bench_attention_at(T))
        print(f"attention T={T}: done", file=sys.stderr)
    threads = bench_threads(ATTN_T[-1])
    prof = profile_attention(ATTN_T[-1])
    ROOFLINE.append(roofline())
    moe_row = bench_moe()
    ROOFLINE.append(roofline())
    # other jobs can only slow a sample down, so the best one is the peak
    peak = max(ROOFLINE)
    # other jobs on the machine skew timings: say how busy it was
    label += (
        f"; 1-minute load average {load0:.1f} at the start, "
        f"{os.getloadavg()[0]:.1f} at the end"
    )
    for name, text in (
        (
            "results_attention.md",
            attention_table(label, peak, rows, threads, prof),
        ),
        ("results_moe.md", moe_table(label, peak, moe_row)),
    ):
        (ROOT / "bench" / name).write_text(text)
        print(text)


if __name__ == "__main__":
    main()
