"""The review page's FSRS scheduler agrees with the Python `fsrs` package.

The page schedules with ts-fsrs (npm, vendored into the site). Here the
page's own scheduling code (Notes.cards in docs/assets/js/notes-core.js on
the vendored ts-fsrs build, run by node through tests/fsrs_ts_runner.js, each
card passed through JSON between reviews as the page stores it) replays
300 seeded review histories: new cards graded at chosen times, reviewed
early, on time and late, with lapses. py-fsrs replays the same histories
with the same parameters, retention and learning steps, fuzz off. Every
review gives the same due date to the millisecond, the same state, and
stability and difficulty equal to 1e-6, with two rules where the
libraries differ by design, each modelled exactly below and counted:

1. Hard on a learning step: ts-fsrs waits the mean of the first two steps
   rounded to a minute (6 min for 1m, 10m); py-fsrs repeats the current
   step (5.5 min on the first, 10 min on the second).
2. Reviews: ts-fsrs keeps the grades' intervals in order (Hard <= Good <
   Easy, in days); py-fsrs takes each grade's own interval.

And one condition on the times: ts-fsrs counts elapsed days as UTC
calendar days, py-fsrs as whole 24-hour periods, so reviews of a card in
review come back at the clock time of the one before (see _replay_py).
"""

from __future__ import annotations

import copy
import json
import math
import random
import re
import subprocess
from datetime import UTC, datetime, timedelta

import pytest

from tests.harness import ROOT
from tests.support import need_executable, need_file, need_module

RUNNER = ROOT / "tests" / "fsrs_ts_runner.js"
UMD = ROOT / "node_modules" / "ts-fsrs" / "dist" / "index.umd.js"
GRADES = ["Again", "Hard", "Good", "Easy"]
# Histories stop once stability passes this many days: past ts-fsrs's cap
# of 36500 days (S_MAX) the two differ, and no reader gets there.
LONGEST = 3650.0
START = datetime(2026, 1, 5, 8, 30, tzinfo=UTC)


def make_plans(n: int, seed: int = 13) -> list:
    """n histories: (first review time, grades, slack). A history has 2 to
    12 reviews; slack moves each review off its due date (see _replay_py).
    First reviews fall between 06:00 and 18:00 UTC, so that learning steps
    (minutes apart) never straddle midnight."""
    rng = random.Random(seed)
    plans = []
    for _ in range(n):
        k = rng.randint(2, 12)
        grades = rng.choices(GRADES, weights=[2, 2, 5, 2], k=k)
        slack = [rng.uniform(-0.6, 1.5) for _ in grades]
        day = rng.randint(0, 90)
        start = START + timedelta(days=day, seconds=rng.randint(0, 12 * 3600))
        plans.append((start, grades, slack))
    return plans


def _steps(spec: list[str]) -> tuple[timedelta, ...]:
    units = {"m": "minutes", "h": "hours", "d": "days"}
    out = []
    for s in spec:
        m = re.fullmatch(r"(\d+)([mhd])", s)
        assert m, f"unknown learning step {s!r}"
        out.append(timedelta(**{units[m[2]]: int(m[1])}))
    return tuple(out)


def _iso(t: datetime) -> str:
    return t.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def _node(plans: list) -> dict:
    node = need_executable("node", "the cross-check runs ts-fsrs under node")
    need_file(UMD, "ts-fsrs", "npm ci installs it into node_modules")
    res = subprocess.run(
        [node, str(RUNNER)],
        input=json.dumps(plans),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert res.returncode == 0, res.stderr
    return json.loads(res.stdout)


def _py_scheduler(params: dict, w: list[float]):
    fsrs = need_module("fsrs")
    return fsrs, fsrs.Scheduler(
        parameters=tuple(w),
        desired_retention=params["request_retention"],
        learning_steps=_steps(params["learning_steps"]),
        relearning_steps=_steps(params["relearning_steps"]),
        maximum_interval=params["maximum_interval"],
        enable_fuzzing=params["enable_fuzz"],
    )


def _replay_py(fsrs, scheduler, start, grades, slack):
    """py-fsrs's cards for one history, and its (time, grade) plan.

    The reader follows the schedule with slack: a card in its learning
    steps comes back 0 to 4 minutes after it is due; a card in review comes
    back some whole days early or late (never before the day after its
    last review), at the clock time of its last review. Whole days matter:
    ts-fsrs counts elapsed days as UTC calendar days, py-fsrs as whole
    24-hour periods, and the two agree only when a review is not earlier in
    the day than the one before it.
    """
    card = fsrs.Card()
    at, plan, cards = start, [], []
    for grade, s in zip(grades, slack, strict=True):
        plan.append((_iso(at), grade))
        last = at
        card, _ = scheduler.review_card(card, fsrs.Rating[grade], at)
        cards.append(card)
        if card.stability > LONGEST:
            break
        if card.state == fsrs.State.Review:
            days = round((card.due - last) / timedelta(days=1))
            at = last + timedelta(days=max(1, days + round(days * s)))
        else:
            at = card.due + timedelta(minutes=round(2 + 2 * s))
    return plan, cards


def _when(iso: str) -> datetime:
    return datetime.fromisoformat(iso.replace("Z", "+00:00"))


def _ordered_days(fsrs, scheduler, card, at: datetime) -> dict[str, int]:
    """ts-fsrs's review intervals in days, from py-fsrs's: Hard is at most
    Good, Good at least Hard + 1, Easy at least Good + 1."""
    raw = {}
    for g in ("Hard", "Good", "Easy"):
        nxt, _ = scheduler.review_card(copy.deepcopy(card), fsrs.Rating[g], at)
        raw[g] = round((nxt.due - at) / timedelta(days=1))
    hard = min(raw["Hard"], raw["Good"])
    good = max(raw["Good"], hard + 1)
    easy = max(raw["Easy"], good + 1)
    return {"Hard": hard, "Good": good, "Easy": easy}


def test_ts_fsrs_and_py_fsrs_give_the_same_due_dates():
    # The page's parameters first, then replay with py-fsrs to get times.
    probe = _node([[(_iso(START), "Good")]])
    assert probe["params"]["enable_fuzz"] is False
    fsrs, scheduler = _py_scheduler(probe["params"], probe["w"])

    histories = make_plans(300)
    plans, py_cards = [], []
    for start, grades, slack in histories:
        plan, cards = _replay_py(fsrs, scheduler, start, grades, slack)
        plans.append(plan)
        py_cards.append(cards)
    ts = _node(plans)["out"]

    counts = dict(reviews=0, lapses=0, hard_steps=0, ordered=0)
    states = set()
    steps = _steps(probe["params"]["learning_steps"])
    for plan, py, tsc in zip(plans, py_cards, ts, strict=True):
        assert len(py) == len(plan) == len(tsc)
        for i, ((at, grade), p, t) in enumerate(
            zip(plan, py, tsc, strict=True)
        ):
            where = f"review {i} ({grade} at {at}) of {plan}"
            prev = py[i - 1] if i else fsrs.Card()
            expected = _iso(p.due)
            if grade == "Hard" and prev.state == fsrs.State.Learning:
                # Rule 1 (learning steps): on Hard, py-fsrs repeats the
                # current step (on step 0, the mean of the first two);
                # ts-fsrs always waits the mean of the first two steps,
                # rounded to a whole minute.
                mean = (steps[0] + steps[1]) / 2 / timedelta(minutes=1)
                wait = timedelta(minutes=math.floor(mean + 0.5))
                expected = _iso(_when(at) + wait)
                counts["hard_steps"] += 1
            elif grade != "Again" and prev.state == fsrs.State.Review:
                # Rule 2 (reviews): ts-fsrs keeps the grades' intervals in
                # order, Hard <= Good < Easy in days; py-fsrs takes each
                # grade's interval as computed.
                days = _ordered_days(fsrs, scheduler, prev, _when(at))
                expected = _iso(_when(at) + timedelta(days=days[grade]))
                counts["ordered"] += expected != _iso(p.due)
            assert t["due"] == expected, where
            assert t["state"] == int(p.state), where
            # ts-fsrs stores both rounded to 8 decimals.
            close = {"rel": 1e-6, "abs": 1e-8}
            assert t["stability"] == pytest.approx(p.stability, **close)
            assert t["difficulty"] == pytest.approx(p.difficulty, **close)
            counts["reviews"] += 1
            counts["lapses"] += t["state"] == 3
            states.add(t["state"])
    # The histories reach every state a graded card can be in.
    assert states == {1, 2, 3}, states
    print(counts)
    # Enough reviews, lapses, and both rules exercised, yet rare.
    assert counts["reviews"] > 1500 and counts["lapses"] > 50, counts
    assert 0 < counts["hard_steps"] < counts["reviews"] // 10, counts
    assert 0 < counts["ordered"] < counts["reviews"] // 20, counts
