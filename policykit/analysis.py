"""Pure analysis helpers: DataFrames in, DataFrames out.

Nothing here draws or displays; the figure builders and explorers call these functions, and so
can learners. Every function validates its arguments and raises
:class:`~policykit.errors.InvalidArgumentError` with the allowed values and a closest match.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import cache
from typing import Literal

import numpy as np
import pandas as pd

from . import _validate
from .datasets import load
from .errors import InvalidArgumentError

__all__ = [
    "POSITIONS",
    "SIGNER_FILTERS",
    "SIGNER_SORTS",
    "contrast",
    "filter_members",
    "filter_timeline",
    "find_in_record",
    "find_passages",
    "lane_keys",
    "member_positions",
    "party_breakdown",
    "position_counts",
    "recorded_tally",
    "rollcall",
    "signer_grid",
    "sort_signer_grid",
    "source_urls",
    "tally",
    "tally_check",
    "timeline",
    "timeline_lanes",
    "vote_keys",
]

POSITIONS: tuple[str, ...] = ("Yea", "Nay", "Present", "Not Voting")
Chamber = Literal["House", "Senate"]
Tier = Literal["core", "optional", "related"]


def vote_keys(chamber: Chamber | None = None, *, tiers: Iterable[Tier] | None = None) -> list[str]:
    """Return roll-call keys in date order, optionally for one chamber and some tiers.

    Examples
    --------
    >>> from policykit.analysis import vote_keys
    >>> vote_keys("House", tiers=["core"])[:2]
    ['h65-117.2022', 'h66-117.2022']
    """
    rc = load("rollcalls")
    if chamber is not None:
        _check_choice("chamber", chamber, ["House", "Senate"])
        rc = rc[rc["chamber"] == chamber]
    if tiers is not None:
        tiers = _as_list(tiers)
        for t in tiers:
            _check_choice("tier", t, ["core", "optional", "related"])
        rc = rc[rc["tier"].isin(tiers)]
    return rc.sort_values(["date", "time_local"])["vote_key"].tolist()


def _as_date(name: str, value: object, next_step: str) -> pd.Timestamp:
    """``value`` as a calendar day, or an InvalidArgumentError naming the argument.

    One parser for the whole package (:func:`policykit._validate.as_date`): numbers, NaT and
    timezone-aware values are rejected instead of silently matching nothing or the wrong day.
    """
    return _validate.as_date(value, name, next_step)


# Where the frames the filtering helpers take come from (for their argument errors).
_FROM_MEMBER_POSITIONS = ("policykit.analysis.member_positions()",
                          "member_positions('h65-117.2022')")
_FROM_TIMELINE = ("policykit.analysis.timeline()", "timeline()")


def _as_list(value: object) -> list:
    """A string or a non-iterable as a one-item list (so it is checked as one value, not as
    its letters), any other iterable as a list."""
    if isinstance(value, str):
        return [value]
    try:
        return list(value)  # type: ignore[call-overload]
    except TypeError:
        return [value]


def _house_keys() -> list[str]:
    return vote_keys("House")


def _check_choice(what: str, value: object, allowed: Sequence[str]) -> None:
    _validate.choice(what, value, allowed, f"Pass one of them, or leave {what} out to include all.")


def rollcall(vote_key: str) -> pd.Series:
    """Return one roll call's row from ``rollcalls``.

    Raises
    ------
    policykit.errors.InvalidArgumentError
        For an unknown key, naming the closest one.

    Examples
    --------
    >>> from policykit.analysis import rollcall
    >>> rc = rollcall("h145-117.2022")
    >>> rc["display_title"], int(rc["yea"]), int(rc["nay"])
    ('Additional Ukraine Supplemental Appropriations Act, 2022', 368, 57)
    """
    key = _validate.vote_key(vote_key)
    rc = load("rollcalls")
    return rc[rc["vote_key"] == key].iloc[0]


def _member_votes(vote_key: str) -> tuple[pd.Series, pd.DataFrame]:
    rc = rollcall(vote_key)
    table = "house_votes" if rc["chamber"] == "House" else "senate_votes"
    votes = load(table)
    return rc, votes[votes["vote_key"] == vote_key]


def tally(vote_key: str) -> pd.Series:
    """Count positions on a roll call from the member-level records.

    Compare with :func:`recorded_tally`, the totals printed in the official record.

    Examples
    --------
    >>> from policykit.analysis import tally
    >>> tally("h65-117.2022").to_dict()
    {'Yea': 361, 'Nay': 69, 'Present': 0, 'Not Voting': 3}
    """
    _, votes = _member_votes(vote_key)
    return position_counts(votes).rename(vote_key)


def recorded_tally(vote_key: str) -> pd.Series:
    """Return the totals recorded in the official roll-call record.

    Examples
    --------
    >>> from policykit.analysis import recorded_tally
    >>> recorded_tally("s191-117.2022").to_dict()
    {'Yea': 86, 'Nay': 11, 'Present': 0, 'Not Voting': 3}
    """
    rc = rollcall(vote_key)
    values = [int(rc[c]) for c in ("yea", "nay", "present", "not_voting")]
    return pd.Series(values, index=pd.Index(list(POSITIONS), name="position"), name=vote_key)


def _signer_ids() -> set[str]:
    return set(load("signatories")["bioguide_id"])


def party_breakdown(vote_key: str, *, split_signers: bool = False) -> pd.DataFrame:
    """Count positions by party on one roll call.

    Parameters
    ----------
    vote_key : str
        A key from ``rollcalls``.
    split_signers : bool, default False
        House only: split Democrats into the letter's signers and the other Democrats.

    Returns
    -------
    pandas.DataFrame
        One row per group, one column per position, plus ``total``.

    Examples
    --------
    >>> from policykit.analysis import party_breakdown
    >>> t = party_breakdown("h65-117.2022", split_signers=True)
    >>> int(t.loc["Signers (D)", "Nay"])  # 13 signers voted Nay on roll 65
    13
    """
    split_signers = _validate.flag(split_signers, "split_signers",
                                   "Pass split_signers=True to split the Democrats, or leave it "
                                   "out.")
    rc, votes = _member_votes(vote_key)
    if split_signers and rc["chamber"] != "House":
        msg = (f"split_signers=True needs a House roll call; {vote_key!r} is a Senate vote "
               "(the letter's signers sit in the House). Use split_signers=False.")
        raise InvalidArgumentError(msg)
    votes = votes.copy()
    group = votes["party"].astype(str).map({"D": "Democrats", "R": "Republicans",
                                            "I": "Independents"})
    if split_signers:
        signer = votes["bioguide_id"].isin(_signer_ids())
        group = group.mask(signer, "Signers (D)").replace({"Democrats": "Other Democrats"})
    votes["group"] = group
    table = pd.crosstab(votes["group"], votes["position"]).reindex(columns=list(POSITIONS),
                                                                   fill_value=0)
    order = ["Signers (D)", "Other Democrats", "Democrats", "Independents", "Republicans"]
    table = table.reindex([g for g in order if g in table.index])
    table.columns = pd.Index(list(POSITIONS), name="position")
    table.index.name = "group"
    table["total"] = table.sum(axis=1)
    return table.astype(int)


def member_positions(vote_key: str) -> pd.DataFrame:
    """Every House member's position on one House roll call, with ideology and signer flag.

    Members who were not in office for the vote are left out. Columns: ``bioguide_id``,
    ``name``, ``party``, ``state``, ``district``, ``seat`` (e.g. ``'WA-07'``), ``position``,
    ``signer``, ``nominate_dim1``, ``nominate_dim2``.

    Examples
    --------
    >>> from policykit.analysis import member_positions
    >>> mp = member_positions("h66-117.2022")
    >>> mp.loc[mp["signer"] & (mp["position"] != "Yea"), "name"].tolist()  # only Tlaib
    ['TLAIB, Rashida']
    """
    rc, votes = _member_votes(vote_key)
    if rc["chamber"] != "House":
        msg = (f"member_positions() needs a House roll call; {vote_key!r} is a Senate vote. "
               "Use policykit.load_senate_votes() for senators.")
        raise InvalidArgumentError(msg)
    members = load("members")[["bioguide_id", "name", "nominate_dim1", "nominate_dim2"]]
    out = votes[["bioguide_id", "party", "state", "district", "position"]].merge(
        members, on="bioguide_id", how="left", validate="one_to_one")
    out["signer"] = out["bioguide_id"].isin(_signer_ids())
    out["seat"] = out["state"].astype(str) + "-" + out["district"].astype(int).map("{:02d}".format)
    cols = ["bioguide_id", "name", "party", "state", "district", "seat", "position", "signer",
            "nominate_dim1", "nominate_dim2"]
    return out[cols].reset_index(drop=True)


def contrast(vote_keys: Sequence[str] | None = None) -> pd.DataFrame:
    """Words vs votes: each signer's position on each chosen House roll call.

    Parameters
    ----------
    vote_keys : sequence of str, optional
        House roll calls, in the order wanted. Default: every House roll call by date.

    Returns
    -------
    pandas.DataFrame
        One row per signer (index ``bioguide_id``): ``name``, ``state``, ``district``, then one
        categorical column per roll call holding the position.

    Examples
    --------
    >>> from policykit.analysis import contrast
    >>> c = contrast(["h65-117.2022", "h145-117.2022"])
    >>> c["h145-117.2022"].value_counts().to_dict()["Yea"]  # every signer backed the $40B
    30
    """
    vote_keys = _house_keys() if vote_keys is None else _as_list(vote_keys)
    if len(vote_keys) == 0:
        msg = ("contrast() needs at least one House roll call; got an empty selection. "
               "See policykit.analysis.vote_keys('House').")
        raise InvalidArgumentError(msg)
    for key in vote_keys:
        if rollcall(key)["chamber"] != "House":
            msg = (f"contrast() compares the letter's signers, who sit in the House; {key!r} "
                   "is a Senate vote. Pick House keys (they start with 'h').")
            raise InvalidArgumentError(msg)
    signers = load("signatories").set_index("bioguide_id")[["name", "state", "district"]]
    votes = load("house_votes")
    votes = votes[votes["vote_key"].isin(vote_keys) & votes["bioguide_id"].isin(signers.index)]
    wide = votes.pivot(index="bioguide_id", columns="vote_key", values="position")
    wide = wide.reindex(columns=list(vote_keys))
    out = signers.join(wide)
    for key in vote_keys:
        out[key] = pd.Categorical(out[key], categories=list(POSITIONS))
    out.columns.name = None
    return out


def find_passages(phrase: str) -> pd.DataFrame:
    """Verified passages of the letter containing ``phrase`` (case-insensitive).

    The letter text is incomplete: no match does not mean the letter never says it.

    Examples
    --------
    >>> from policykit.analysis import find_passages
    >>> find_passages("direct talks")["passage_id"].tolist()
    ['p-we-urge-4ced']
    """
    if not isinstance(phrase, str) or not phrase.strip():
        msg = (f"find_passages() needs a non-empty phrase to search for; got {phrase!r}. "
               "Try e.g. find_passages('ceasefire').")
        raise InvalidArgumentError(msg)
    passages = load("letter_passages")
    hit = passages["text"].str.contains(phrase.strip(), case=False, regex=False)
    return passages[hit].reset_index(drop=True)


def timeline(*, as_known_on: str | pd.Timestamp | None = None) -> pd.DataFrame:
    """One time axis: events, roll calls, responses and the caucus's statements.

    Parameters
    ----------
    as_known_on : date-like, optional
        Keep only what had become public by that date (the letter's signatures were gathered
        from 30 June but became public on 24-25 October).

    Returns
    -------
    pandas.DataFrame
        Columns ``date``, ``date_public``, ``kind`` (event / roll call / response /
        statement), ``lane`` (category or actor type), ``label``, ``detail``, ``sources``;
        sorted by date.

    Examples
    --------
    >>> from policykit.analysis import timeline
    >>> t = timeline(as_known_on="2022-10-01")
    >>> bool((t["date_public"] <= "2022-10-01").all())
    True
    """
    ev = load("events")
    rc = load("rollcalls")
    rs = load("responses")
    st = load("statements")
    frames = [
        pd.DataFrame({"date": ev["date"], "date_public": ev["date_public"], "kind": "event",
                      "lane": ev["category"].astype(str), "label": ev["event"],
                      "detail": ev["date_public_note"].fillna(""), "sources": ev["sources"]}),
        pd.DataFrame({"date": rc["date"], "date_public": rc["date"], "kind": "roll call",
                      "lane": rc["chamber"].astype(str) + " vote",
                      "label": rc["display_title"] + " — " + rc["chamber"].astype(str)
                      + " roll " + rc["roll"].astype(str),
                      "detail": rc["yea"].astype(str) + "-" + rc["nay"].astype(str) + ", "
                      + rc["result"], "sources": rc["sources"]}),
        pd.DataFrame({"date": rs["date"], "date_public": rs["date"], "kind": "response",
                      "lane": rs["actor_type"].astype(str), "label": rs["speaker"] + ": "
                      + rs["quote"], "detail": rs["stance"], "sources": rs["sources"]}),
        pd.DataFrame({"date": st["date"], "date_public": st["date"], "kind": "statement",
                      "lane": "caucus statement", "label": st["speaker"] + ": " + st["quote"],
                      "detail": st["statement"].astype(str), "sources": st["sources"]}),
    ]
    out = pd.concat(frames, ignore_index=True)
    for col in ("kind", "lane", "label", "detail", "sources"):
        out[col] = out[col].astype("string")
    if as_known_on is not None:
        cutoff = _as_date("as_known_on", as_known_on, "Pass None to see everything.")
        out = out[out["date_public"] <= cutoff]
    return out.sort_values(["date", "kind"], kind="stable").reset_index(drop=True)


# --- Helpers for the explorers (filtering, sorting, counting; still DataFrames in and out) -----

SignerFilter = Literal["all", "signers", "non-signers"]
SignerSort = Literal["name", "state", "ideology", "nays"]
SIGNER_FILTERS: tuple[str, ...] = ("all", "signers", "non-signers")
SIGNER_SORTS: tuple[str, ...] = ("name", "state", "ideology", "nays")


def filter_members(frame: pd.DataFrame, *, party: str | None = None, state: str | None = None,
                   signers: SignerFilter = "all") -> pd.DataFrame:
    """Keep the members of a :func:`member_positions` frame that pass every filter.

    Parameters
    ----------
    frame : pandas.DataFrame
        Output of :func:`member_positions`.
    party : str, optional
        ``'D'``, ``'R'`` or ``'I'``; ``None`` or ``'all'`` keeps every party.
    state : str, optional
        Two-letter abbreviation; ``None`` or ``'all'`` keeps every state.
    signers : {'all', 'signers', 'non-signers'}
        Keep everyone, only the letter's signers, or only members who did not sign.

    Returns
    -------
    pandas.DataFrame
        The matching rows, possibly none (an empty frame is an answer, not an error).

    Examples
    --------
    >>> from policykit.analysis import filter_members, member_positions
    >>> mp = member_positions("h65-117.2022")
    >>> len(filter_members(mp, signers="signers"))  # the letter had 30 signers
    30
    >>> len(filter_members(mp, party="R", signers="signers"))
    0
    >>> filter_members(mp, state="WX")
    Traceback (most recent call last):
    ...
    policykit.errors.InvalidArgumentError: Unknown state 'WX'. Allowed: ...
    """
    frame = _validate.frame(frame, "frame", ["party", "state", "signer"], *_FROM_MEMBER_POSITIONS)
    _check_choice("signers filter", signers, SIGNER_FILTERS)
    keep = pd.Series(True, index=frame.index)
    if party not in (None, "all"):
        _check_choice("party", party, ["D", "R", "I"])
        keep &= frame["party"].astype(str) == party
    if state not in (None, "all"):
        _check_choice("state", state, sorted(load("members")["state"].astype(str).unique()))
        keep &= frame["state"].astype(str) == state
    if signers == "signers":
        keep &= frame["signer"]
    elif signers == "non-signers":
        keep &= ~frame["signer"]
    return frame[keep]


def position_counts(frame: pd.DataFrame) -> pd.Series:
    """Count the ``position`` column of any member-level frame, in :data:`POSITIONS` order.

    Examples
    --------
    >>> from policykit.analysis import member_positions, position_counts
    >>> position_counts(member_positions("h145-117.2022")).to_dict()
    {'Yea': 368, 'Nay': 57, 'Present': 0, 'Not Voting': 5}
    """
    frame = _validate.frame(frame, "frame", ["position"], *_FROM_MEMBER_POSITIONS)
    counts = frame["position"].astype(str).value_counts().reindex(list(POSITIONS), fill_value=0)
    counts.index = pd.Index(list(POSITIONS), name="position")
    counts.name = "count"
    return counts.astype(int)


def tally_check(vote_key: str) -> pd.DataFrame:
    """Recomputed counts next to the recorded totals of one roll call.

    Returns
    -------
    pandas.DataFrame
        Index: the four positions; columns ``recomputed``, ``recorded``, ``match``.

    Examples
    --------
    >>> from policykit.analysis import tally_check
    >>> bool(tally_check("h66-117.2022")["match"].all())
    True
    """
    out = pd.DataFrame({"recomputed": tally(vote_key), "recorded": recorded_tally(vote_key)})
    out["match"] = out["recomputed"] == out["recorded"]
    return out


def signer_grid(vote_keys: Sequence[str] | None = None, *,
                sort_by: SignerSort = "name") -> pd.DataFrame:
    """Signers x House roll calls, with ideology and a Nay count, sorted.

    Parameters
    ----------
    vote_keys : sequence of str, optional
        House roll calls (default: all, by date). An empty selection raises.
    sort_by : {'name', 'state', 'ideology', 'nays'}
        ``name``: surname A-Z; ``state``: state then district; ``ideology``: DW-NOMINATE
        first dimension, most negative (left) first; ``nays``: most Nay votes first.

    Returns
    -------
    pandas.DataFrame
        :func:`contrast` plus ``last_name``, ``nominate_dim1`` and ``nays`` (the number of
        Nay positions among ``vote_keys``).

    Examples
    --------
    >>> from policykit.analysis import signer_grid
    >>> g = signer_grid(["h65-117.2022", "h66-117.2022"], sort_by="nays")
    >>> int((g["nays"] > 0).sum())  # 13 signers voted Nay on roll 65, none on roll 66
    13
    """
    _check_choice("sort order", sort_by, SIGNER_SORTS)
    grid = contrast(vote_keys)
    signers = load("signatories").set_index("bioguide_id")
    dim1 = load("members").set_index("bioguide_id")["nominate_dim1"]
    grid.insert(1, "last_name", signers["last_name"].reindex(grid.index))
    grid["nominate_dim1"] = dim1.reindex(grid.index)
    return sort_signer_grid(grid, sort_by)


def sort_signer_grid(grid: pd.DataFrame, sort_by: SignerSort = "name", *,
                     vote_keys: Sequence[str] | None = None) -> pd.DataFrame:
    """Re-sort a :func:`signer_grid`, optionally keeping only some of its roll calls.

    Cheaper than calling :func:`signer_grid` again: nothing is reloaded. ``nays`` is
    recomputed over the roll calls kept.

    Examples
    --------
    >>> from policykit.analysis import signer_grid, sort_signer_grid
    >>> full = signer_grid()
    >>> g = sort_signer_grid(full, "nays", vote_keys=["h66-117.2022"])
    >>> int(g["nays"].sum())  # no signer voted Nay on roll 66
    0
    """
    grid = _validate.frame(grid, "grid", ["name", "last_name", "state", "district",
                                          "nominate_dim1"],
                           "policykit.analysis.signer_grid()", "signer_grid()")
    _check_choice("sort order", sort_by, SIGNER_SORTS)
    fixed = ["name", "last_name", "state", "district", "nominate_dim1", "nays"]
    if vote_keys is not None:
        vote_keys = _as_list(vote_keys)
        for key in vote_keys:
            if key not in grid.columns:
                _check_choice("roll call in the grid", key,
                              [c for c in grid.columns if c not in fixed])
        grid = grid[[c for c in grid.columns if c in fixed[:5]] + vote_keys]
    grid = grid.copy()
    keys = [c for c in grid.columns if c not in fixed]
    # Compared column by column as objects: astype(str) of categorical columns is slow, and the
    # explorers re-sort on every control change.
    nays = np.zeros(len(grid), dtype=int)
    for key in keys:
        nays += grid[key].to_numpy(dtype=object) == "Nay"
    grid["nays"] = nays
    order = {"name": (["last_name", "name"], [True, True]),
             "state": (["state", "district", "last_name"], [True, True, True]),
             "ideology": (["nominate_dim1", "last_name"], [True, True]),
             "nays": (["nays", "last_name"], [False, True])}[sort_by]
    return grid.sort_values(order[0], ascending=order[1], kind="stable")


_KIND_GROUP = {"event": "category", "roll call": "category", "statement": "actor",
               "response": "actor"}


def lane_keys(frame: pd.DataFrame) -> pd.Series:
    """A key per row of a :func:`timeline` frame: ``'category:<lane>'`` or ``'actor:<lane>'``.

    Events and roll calls are laned by category, responses and statements by actor type; the
    prefix keeps an event category and an actor type with the same name apart.

    Examples
    --------
    >>> from policykit.analysis import lane_keys, timeline
    >>> keys = set(lane_keys(timeline()))
    >>> {'actor:caucus statement', 'category:House vote'} <= keys
    True
    """
    frame = _validate.frame(frame, "frame", ["kind", "lane"], *_FROM_TIMELINE)
    group = frame["kind"].astype(str).map(_KIND_GROUP)
    return (group + ":" + frame["lane"].astype(str)).astype(str)


def filter_timeline(frame: pd.DataFrame, *, start: str | pd.Timestamp | None = None,
                    end: str | pd.Timestamp | None = None,
                    categories: Iterable[str] | None = None,
                    actors: Iterable[str] | None = None) -> pd.DataFrame:
    """Keep the rows of a :func:`timeline` frame within a date range and some lanes.

    Parameters
    ----------
    frame : pandas.DataFrame
        Output of :func:`timeline`.
    start, end : date-like, optional
        Inclusive bounds on ``date``.
    categories : iterable of str, optional
        Lanes of events and roll calls to keep (event categories, ``'House vote'``,
        ``'Senate vote'``); default all.
    actors : iterable of str, optional
        Lanes of responses and statements to keep (actor types, ``'caucus statement'``);
        default all.

    Examples
    --------
    >>> from policykit.analysis import filter_timeline, timeline
    >>> t = filter_timeline(timeline(), start="2022-10-24", end="2022-10-25",
    ...                     categories=[], actors=["caucus statement"])
    >>> sorted(t["detail"].unique())
    ['clarification', 'withdrawal']
    """
    frame = _validate.frame(frame, "frame", ["date", "kind", "lane"], *_FROM_TIMELINE)
    keep = pd.Series(True, index=frame.index)
    for name, value in (("start", start), ("end", end)):
        if value is None:
            continue
        bound = _as_date(name, value, "Pass None for no bound.")
        keep &= (frame["date"] >= bound) if name == "start" else (frame["date"] <= bound)
    keys = lane_keys(frame)
    known = _all_lanes()
    for group, chosen in (("category", categories), ("actor", actors)):
        if chosen is None:
            continue
        chosen = _as_list(chosen)
        allowed = known.loc[known["group"] == group, "lane"].tolist()
        for lane in chosen:
            _check_choice(group, lane, allowed)
        in_group = keys.str.startswith(group + ":")
        keep &= ~in_group | keys.isin([f"{group}:{lane}" for lane in chosen])
    return frame[keep]


@cache
def _all_lanes() -> pd.DataFrame:
    return timeline_lanes()


def timeline_lanes(frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """The lanes of the timeline: categories (events, roll calls), then actors.

    Returns
    -------
    pandas.DataFrame
        ``key`` (as :func:`lane_keys`), ``lane``, ``group`` (``'category'`` or ``'actor'``)
        and ``rows``, in display order.

    Examples
    --------
    >>> from policykit.analysis import timeline_lanes
    >>> lanes = timeline_lanes()
    >>> lanes.loc[lanes["lane"] == "caucus statement", "group"].item()
    'actor'
    """
    frame = timeline() if frame is None else _validate.frame(frame, "frame", ["kind", "lane"],
                                                             *_FROM_TIMELINE)
    kind_order = {"event": 0, "roll call": 1, "statement": 2, "response": 3}
    lanes = (frame.assign(kind_rank=frame["kind"].astype(str).map(kind_order),
                          key=lane_keys(frame), lane=frame["lane"].astype(str))
             .groupby(["kind_rank", "key", "lane"], sort=True).size().reset_index(name="rows"))
    lanes["group"] = lanes["key"].str.split(":").str[0]
    return lanes[["key", "lane", "group", "rows"]].reset_index(drop=True)


def source_urls(ids: str | None) -> list[tuple[str, str]]:
    """Resolve a ``';'``-separated ``sources`` cell to ``(source_id, url)`` pairs.

    Unknown ids are kept with an empty URL rather than dropped.

    Examples
    --------
    >>> from policykit.analysis import source_urls
    >>> source_urls("clerk-house-ed0c34")[0][1].startswith("https://")
    True
    """
    if ids is None or (not isinstance(ids, str) and pd.isna(ids)) or not str(ids).strip():
        return []
    urls = load("sources").set_index("source_id")["url"]
    out = []
    for sid in str(ids).split(";"):
        sid = sid.strip()
        if sid:
            out.append((sid, str(urls[sid]) if sid in urls.index else ""))
    return out


def find_in_record(phrase: str | None = None) -> pd.DataFrame:
    """The letter's verified passages and the caucus's two statements, flagged for a phrase.

    Parameters
    ----------
    phrase : str, optional
        Case-insensitive phrase; ``None`` or blank marks nothing as a match.

    Returns
    -------
    pandas.DataFrame
        One row per passage or statement sentence: ``document`` (``'letter'``,
        ``'clarification'`` or ``'withdrawal'``), ``item_id``, ``date`` (empty for the
        letter's passages, which were written before the 24 October release), ``text``,
        ``key_phrases``, ``truncated``, ``match``.

    Examples
    --------
    >>> from policykit.analysis import find_in_record
    >>> r = find_in_record("direct talks")
    >>> r.loc[r["match"], ["document", "item_id"]].values.tolist()
    [['letter', 'p-we-urge-4ced']]
    """
    passages = load("letter_passages")
    statements = load("statements")
    out = pd.concat([
        pd.DataFrame({"document": "letter", "item_id": passages["passage_id"],
                      "date": pd.NaT, "text": passages["text"],
                      "key_phrases": passages["key_phrases"].fillna(""),
                      "truncated": passages["truncated"].astype(bool)}),
        pd.DataFrame({"document": statements["statement"].astype(str),
                      "item_id": statements["statement_id"], "date": statements["date"],
                      "text": statements["quote"], "key_phrases": "",
                      "truncated": False}),
    ], ignore_index=True)
    if phrase is not None and not isinstance(phrase, str):
        msg = (f"phrase must be a string; got {type(phrase).__name__} {phrase!r}. "
               "Try e.g. find_in_record('diplomacy').")
        raise InvalidArgumentError(msg)
    if phrase is None or not phrase.strip():
        out["match"] = False
    else:
        out["match"] = out["text"].str.contains(phrase.strip(), case=False, regex=False)
    out["match"] = out["match"].astype(bool)
    for col in ("document", "item_id", "text", "key_phrases"):
        out[col] = out[col].astype("string")
    return out
