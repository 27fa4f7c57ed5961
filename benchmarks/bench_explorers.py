"""Benchmark the explorers in-process, after the data are loaded.

Measures, per explorer:

(a) a control change -> figure updated in the model (median of >= 30 changes; target 25 ms);
(b) first render, i.e. construction of the explorer (median of 7; target 300 ms);

and, as a same-run baseline, building the equivalent static ``go.Figure`` directly with
plotly (no policykit, no widgets). Run: ``python benchmarks/bench_explorers.py``.
"""

from __future__ import annotations

import datetime as dt
import statistics
import time
from collections.abc import Callable
from itertools import cycle

import plotly.express as px
import plotly.graph_objects as go

import policykit
from policykit import analysis, explore

CHANGE_TARGET_MS = 25.0
RENDER_TARGET_MS = 300.0
CHANGES = 40
RENDERS = 7


def _ms(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def _median(fn: Callable[[], object], n: int) -> float:
    return statistics.median(_ms(fn) for _ in range(n))


def _changes(ex, steps: list[tuple[str, object]]) -> float:
    """Median time of setting controls in turn (each set triggers one model update)."""
    times = []
    for name, value in [s for s, _ in zip(cycle(steps), range(CHANGES), strict=False)]:
        times.append(_ms(lambda name=name, value=value: setattr(ex.controls[name], "value",
                                                                 value)))
    return statistics.median(times)


def _baselines() -> dict[str, Callable[[], go.Figure]]:
    mp = analysis.member_positions("h145-117.2022")
    grid = analysis.contrast(analysis.vote_keys("House"))
    long = grid.reset_index().melt(id_vars=["bioguide_id", "name", "state", "district"],
                                   var_name="vote_key", value_name="position")
    tl = analysis.timeline()
    rec = analysis.find_in_record("diplomacy").groupby(["document", "match"]).size()
    rec = rec.reset_index(name="n")
    return {
        "positions": lambda: px.scatter(mp, x="nominate_dim1", y="position", color="position",
                                        symbol="position", hover_name="name"),
        "words_vs_votes": lambda: px.scatter(long, x="vote_key", y="name", color="position",
                                             symbol="position"),
        "timeline": lambda: px.scatter(tl, x="date", y="lane", color="kind", symbol="kind",
                                       hover_name="label"),
        "letter": lambda: px.bar(rec, y="document", x="n", color="match", orientation="h"),
    }


def main() -> None:
    # Warm-up: imports (nbformat/jsonschema behind the first FigureWidget), data loads.
    for name in policykit.list_datasets():
        policykit.load(name)
    t_cold = _ms(lambda: go.FigureWidget())
    for build in (explore.positions, explore.words_vs_votes, explore.timeline, explore.letter):
        build()

    house = [k for _, k in explore.positions().controls["rollcall"].options]
    cases = {
        "positions": (explore.positions, [
            *[("rollcall", k) for k in house[:6]], ("party", "D"), ("signers", "signers"),
            ("party", "all"), ("state", "WA"), ("state", "all"), ("signers", "all"),
            ("y_axis", "dim2"), ("y_axis", "strip")]),
        "words_vs_votes": (explore.words_vs_votes, [
            ("sort", "nays"), ("focus", house[1]), ("sort", "ideology"),
            ("rollcalls", tuple(house[:4])), ("sort", "state"), ("focus", house[0]),
            ("rollcalls", tuple(house)), ("sort", "name")]),
        "timeline": (explore.timeline, [
            ("as_known_on", dt.date(2022, 10, 24)), ("start", dt.date(2022, 10, 1)),
            ("actors", ("signatory", "caucus statement")), ("as_known_on", None),
            ("start", None), ("categories", ("letter", "war")),
            ("actors", tuple(analysis.timeline_lanes().query("group == 'actor'")["lane"])),
            ("categories", tuple(analysis.timeline_lanes()
                                 .query("group == 'category'")["lane"]))]),
        "letter": (explore.letter, [
            ("search", "diplomacy"), ("show", "matches"), ("search", "ceasefire"),
            ("show", "all"), ("search", "direct talks"), ("search", "")]),
    }
    baselines = _baselines()
    rows = []
    for name, (build, steps) in cases.items():
        render = _median(build, RENDERS)
        change = _changes(build(), steps)
        base = _median(baselines[name], RENDERS)
        rows.append((name, change, render, base))

    print(f"First FigureWidget in this process (imports nbformat/jsonschema): {t_cold:.0f} ms "
          "(excluded below)\n")
    head = (f"{'explorer':<16}{'change ms':>10}{'/25 ms':>8}{'render ms':>11}{'/300 ms':>9}"
            f"{'static px ms':>14}{'render/static':>15}")
    print(head)
    print("-" * len(head))
    for name, change, render, base in rows:
        print(f"{name:<16}{change:>10.1f}{change / CHANGE_TARGET_MS:>8.2f}{render:>11.1f}"
              f"{render / RENDER_TARGET_MS:>9.2f}{base:>14.1f}{render / base:>15.2f}")
    print(f"\nchange: median of {CHANGES} control changes; render: median of {RENDERS} "
          "constructions; static px: plotly.express figure of the same data, same run.")
    worst = max(max(r[1] / CHANGE_TARGET_MS, r[2] / RENDER_TARGET_MS) for r in rows)
    print("All within target." if worst <= 1 else f"Over target (worst ratio {worst:.2f}).")


if __name__ == "__main__":
    main()
