"""Pure analysis helpers: DataFrames in, DataFrames out.

Nothing here draws or displays; the figure builders and explorers call these functions, and so
can learners. Every function validates its arguments and raises
:class:`~policykit.errors.InvalidArgumentError` with the allowed values and a closest match.

Every function that reads data takes ``case=``: a case id from ``policykit.list_cases()``, a
``policykit.case(...)`` object, or ``None`` (the default) for the default case. Tables are read
through the case's roles (``signers``, ``rollcalls``, ``votes`` per chamber, ``documents`` ...),
so the same call works on any case.

What the helpers read from a case (its ``policykit`` property; see the case authors' guide):

- roles ``rollcalls`` (``vote_key``, ``chamber``, ``date``, ``roll``, ``tier``, totals ...),
  ``votes`` per chamber (``member_key``; rows ``vote_key``, ``party``, ``state``,
  ``position`` ...) and ``sources``; optionally ``signers`` (``key``, ``name``,
  ``last_name``, ``alt_names``: other name columns a signer is looked up by, such as the
  name a vote record prints, ``groups``: document id -> the flag column of its signers; a
  ``chamber`` column when signers sit in both chambers), ``members`` (``key``, ``score``,
  ``score2``, ``no_score_reason``), ``documents`` (``key``, ``document``: the column naming each
  passage's document), ``statements``, ``responses`` and ``events``;
- ``tiers`` (the roll-call tiers and what they mean), ``examples`` (``vote_key``,
  ``vote_keys`` per chamber, ``phrase``, ``record_phrase``, ``date``: values shown in
  messages) and ``labels`` (``document``, ``signer``, ``signers``, ``document_kind``,
  ``statement_lane``, ``member``).

Signers are matched to the vote records of every chamber whose ``member_key`` is the signers'
key, so a case's signers may sit in the House, the Senate or both.

Examples
--------
>>> from policykit.analysis import vote_keys
>>> vote_keys("Senate", tiers=["core"], case="gop_letters_2023")
['s154-118.2024']
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from functools import cache
from typing import Any, Literal

import numpy as np
import pandas as pd

from . import _case, _validate
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
    "signer_groups",
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
CaseLike = str | os.PathLike[str] | _case.Case | None
CHAMBERS: tuple[str, ...] = ("House", "Senate")

_PARTY_NAMES = {"D": "Democrats", "R": "Republicans", "I": "Independents"}
_PARTY_ORDER = ("D", "I", "R")
_CHAMBER_MEMBERS = {"House": "representatives", "Senate": "senators"}


# --- Reading a case (shared with policykit.claims) ----------------------------------------------

def _section(c: _case.Case, name: str) -> dict[str, Any]:
    """One section of the case's ``policykit`` property (``labels``, ``claims`` ...), or {}."""
    value = c.config.get(name)
    return value if isinstance(value, dict) else {}


def _is_default(c: _case.Case) -> bool:
    return c == _case.resolve(None)


def _case_ref(c: _case.Case) -> str:
    """How a call names the case: its id if shipped, else its folder."""
    return repr(c.id) if c.id in _case.list_cases() else repr(str(c.data_dir))


def _case_arg(c: _case.Case, first: bool = False) -> str:
    """``case=...`` to append to a suggested call ('' for the default case)."""
    if _is_default(c):
        return ""
    return f"{'' if first else ', '}case={_case_ref(c)}"


def _loader(c: _case.Case, resource: str) -> str:
    """The call that loads one of the case's tables, for messages."""
    if _is_default(c):
        return f"policykit.load_{resource}()"
    return f"policykit.case({_case_ref(c)}).load({resource!r})"


def _role_loader(c: _case.Case, role: str) -> str:
    return _loader(c, c.role(role)["resource"])


def _examples(c: _case.Case) -> dict[str, Any]:
    return _section(c, "examples")


def _document(c: _case.Case) -> str:
    """How the case's messages name its document, e.g. 'the letter'."""
    return c.label("document", "the document")


def _whose(text: str) -> str:
    """The possessive of a noun phrase: "the letter's", "the letters'"."""
    return text + ("'" if text.endswith("s") else "'s")


def _signers_word(c: _case.Case) -> str:
    return c.label("signers", "signers")


def _rollcalls(c: _case.Case) -> pd.DataFrame:
    return c.table("rollcalls")


def _in_date_order(rc: pd.DataFrame) -> pd.DataFrame:
    """Roll calls by date, then by time of day where the case records it."""
    return rc.sort_values([c for c in ("date", "time_local") if c in rc.columns])


def _chamber_keys(c: _case.Case, chamber: str) -> list[str]:
    rc = _rollcalls(c)
    rc = rc[rc["chamber"] == chamber]
    return _in_date_order(rc)["vote_key"].tolist()


def _example_key(c: _case.Case, chamber: str | None = None) -> str:
    """A roll-call key to show in messages: the case's ``examples`` or its first key."""
    ex = _examples(c)
    if chamber is None:
        if "vote_key" in ex:
            return str(ex["vote_key"])
        chamber = c.chambers[0]
    shown = ex.get("vote_keys") or {}
    if chamber in shown:
        return str(shown[chamber])
    keys = _chamber_keys(c, chamber)
    return keys[0] if keys else ""


def _vote_key(value: object, c: _case.Case, what: str = "roll call") -> str:
    """A roll-call key of the case, or InvalidArgumentError naming the closest one."""
    if _is_default(c):
        return _validate.vote_key(value, what)
    return _validate.vote_key(value, what, case=c, where=f" in case {_case_ref(c)}",
                              loader=_role_loader(c, "rollcalls"))


def _tiers(c: _case.Case) -> list[str]:
    """The case's roll-call tiers: the ``tiers`` of its property, else those in the data."""
    tiers = _section(c, "tiers")
    if tiers:
        return list(tiers)
    return sorted(_rollcalls(c)["tier"].astype(str).unique())


def _signer_spec(c: _case.Case) -> dict[str, Any]:
    return c.role("signers")


def _group_columns(c: _case.Case, table: pd.DataFrame | None = None) -> dict[str, str]:
    """Group name -> boolean column of the signers table.

    The signers role's ``groups`` maps each document the signers signed (e.g. a letter id) to
    the flag column marking its signers; every boolean column is a group under its own name.
    """
    table = c.table("signers") if table is None else table
    out = {str(k): str(v) for k, v in (_signer_spec(c).get("groups") or {}).items()}
    for name in table.columns:
        if str(table[name].dtype) == "boolean" or table[name].dtype == bool:
            out.setdefault(str(name), str(name))
    return out


def _groups(c: _case.Case) -> list[str]:
    """The values ``group=`` accepts: the documents signed, then boolean columns."""
    return list(_group_columns(c))


def _signer_rows(c: _case.Case, group: str | None = None,
                 table: pd.DataFrame | None = None) -> pd.DataFrame:
    """The case's signers (one row per member, in table order), optionally of one group.

    ``group`` is a document named in the signers role's ``groups`` (e.g. a letter id) or a
    boolean column of the signers table (e.g. a lead-signer flag).
    """
    spec = _signer_spec(c)
    table = c.table("signers") if table is None else table
    if group is not None:
        columns = _group_columns(c, table)
        _validate.choice("signer group", group, list(columns),
                         "Pass one of them (see policykit.analysis.signer_groups"
                         f"({_case_arg(c, first=True)})), or leave group out for every "
                         f"{c.label('signer', 'signer')}.")
        table = table[table[columns[group]].fillna(False).astype(bool).to_numpy()]
    return table.drop_duplicates(spec["key"]).reset_index(drop=True)


def signer_groups(*, case: CaseLike = None) -> list[str]:
    """The values ``group=`` accepts in this module and in :mod:`policykit.claims`.

    A case whose signers signed more than one document (e.g. two letters) names, in its
    signers role's ``groups``, the column flagging each document's signers; ``group`` picks
    one document's signers by its id. Boolean columns of the signers table (e.g. a lead-signer
    flag) are groups too, under their own names.

    Examples
    --------
    >>> from policykit.analysis import contrast, signer_groups
    >>> signer_groups(case="gop_letters_2023")[:2]
    ['2023-04-20_lee_crane_to_biden', '2023-09-21_vance_roy_to_omb']
    >>> len(contrast(group="2023-04-20_lee_crane_to_biden", case="gop_letters_2023"))
    19
    """
    return _groups(_case.resolve(case))


def _signer_ids(c: _case.Case, group: str | None = None,
                table: pd.DataFrame | None = None) -> set[str]:
    return set(_signer_rows(c, group, table)[_signer_spec(c)["key"]])


def _signer_chambers(c: _case.Case, table: pd.DataFrame | None = None) -> list[str]:
    """Chambers whose vote records can be matched to the signers (same member key)."""
    key = _signer_spec(c)["key"]
    votes = c.role("votes")
    chambers = [ch for ch in c.chambers if votes[ch]["member_key"] == key]
    table = c.table("signers") if table is None else table
    if "chamber" in table.columns:
        present = set(table["chamber"].astype(str))
        chambers = [ch for ch in chambers if ch in present]
    return chambers


def _key_prefixes(c: _case.Case, chambers: Sequence[str]) -> str:
    rc = _rollcalls(c)
    letters = sorted({str(k)[0] for k in rc.loc[rc["chamber"].isin(chambers), "vote_key"]})
    return " or ".join(repr(x) for x in letters)


def _chambers_text(chambers: Sequence[str]) -> str:
    return " and the ".join(chambers)


def _score_columns(c: _case.Case) -> list[str]:
    """The members' score columns (e.g. DW-NOMINATE dimensions); [] when the case has none."""
    if not c.has_role("members"):
        return []
    spec = c.role("members")
    return [spec[k] for k in ("score", "score2") if spec.get(k)]


def _no_score_reason(c: _case.Case) -> str:
    spec = c.role("members") if c.has_role("members") else {}
    return spec.get("no_score_reason") or "the case records no ideology scores for its members"


# --- Roll calls ----------------------------------------------------------------------------------

def vote_keys(chamber: Chamber | None = None, *, tiers: Iterable[str] | None = None,
              case: CaseLike = None) -> list[str]:
    """Return roll-call keys in date order, optionally for one chamber and some tiers.

    Parameters
    ----------
    chamber : {'House', 'Senate'}, optional
    tiers : iterable of str, optional
        Tiers of the case's ``rollcalls`` table (each case names its own; see the ``tier``
        column's description).
    case : str or Case, optional
        The case (default: the default case).

    Examples
    --------
    >>> from policykit.analysis import vote_keys
    >>> vote_keys("House", tiers=["core"])[:2]
    ['h65-117.2022', 'h66-117.2022']
    >>> vote_keys("House", tiers=["core"], case="gop_letters_2023")
    ['h151-118.2024']
    """
    c = _case.resolve(case)
    rc = _rollcalls(c)
    if chamber is not None:
        _check_choice("chamber", chamber, list(CHAMBERS))
        rc = rc[rc["chamber"] == chamber]
    if tiers is not None:
        tiers = _as_list(tiers)
        for t in tiers:
            _check_choice("tier", t, _tiers(c))
        rc = rc[rc["tier"].isin(tiers)]
    return _in_date_order(rc)["vote_key"].tolist()


def _as_date(name: str, value: object, next_step: str) -> pd.Timestamp:
    """``value`` as a calendar day, or an InvalidArgumentError naming the argument.

    One parser for the whole package (:func:`policykit._validate.as_date`): numbers, NaT and
    timezone-aware values are rejected instead of silently matching nothing or the wrong day.
    """
    return _validate.as_date(value, name, next_step)


def _from_member_positions(c: _case.Case) -> tuple[str, str]:
    """Where the frames the filtering helpers take come from (for their argument errors)."""
    return ("policykit.analysis.member_positions()",
            f"member_positions({_example_key(c)!r}{_case_arg(c)})")


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


def _check_choice(what: str, value: object, allowed: Sequence[str]) -> None:
    _validate.choice(what, value, allowed, f"Pass one of them, or leave {what} out to include all.")


def rollcall(vote_key: str, *, case: CaseLike = None) -> pd.Series:
    """Return one roll call's row from the case's ``rollcalls`` table.

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
    c = _case.resolve(case)
    key = _vote_key(vote_key, c)
    rc = _rollcalls(c)
    return rc[rc["vote_key"] == key].iloc[0]


def _member_votes(vote_key: str, c: _case.Case) -> tuple[pd.Series, pd.DataFrame]:
    rc = rollcall(vote_key, case=c)
    votes = c.table("votes", str(rc["chamber"]))
    return rc, votes[votes["vote_key"] == rc["vote_key"]]


def tally(vote_key: str, *, case: CaseLike = None) -> pd.Series:
    """Count positions on a roll call from the member-level records.

    Compare with :func:`recorded_tally`, the totals printed in the official record.

    Examples
    --------
    >>> from policykit.analysis import tally
    >>> tally("h65-117.2022").to_dict()
    {'Yea': 361, 'Nay': 69, 'Present': 0, 'Not Voting': 3}
    """
    c = _case.resolve(case)
    _, votes = _member_votes(vote_key, c)
    return position_counts(votes, case=c).rename(vote_key)


def recorded_tally(vote_key: str, *, case: CaseLike = None) -> pd.Series:
    """Return the totals recorded in the official roll-call record.

    Examples
    --------
    >>> from policykit.analysis import recorded_tally
    >>> recorded_tally("s191-117.2022").to_dict()
    {'Yea': 86, 'Nay': 11, 'Present': 0, 'Not Voting': 3}
    """
    rc = rollcall(vote_key, case=case)
    values = [int(rc[c]) for c in ("yea", "nay", "present", "not_voting")]
    return pd.Series(values, index=pd.Index(list(POSITIONS), name="position"), name=vote_key)


def party_breakdown(vote_key: str, *, split_signers: bool = False, group: str | None = None,
                    case: CaseLike = None) -> pd.DataFrame:
    """Count positions by party on one roll call.

    Parameters
    ----------
    vote_key : str
        A key from ``rollcalls``.
    split_signers : bool, default False
        Split each party that has signers into its signers (``'Signers (D)'``) and its other
        members (``'Other Democrats'``). Only for a chamber where the case's signers sit.
    group : str, optional
        With ``split_signers``: only the signers of one document (see :func:`signer_groups`).
    case : str or Case, optional
        The case (default: the default case).

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
    c = _case.resolve(case)
    signers = c.table("signers") if c.has_role("signers") else None
    if not isinstance(split_signers, bool):
        parties = set() if signers is None else set(signers["party"].astype(str))
        who = " and the ".join(_PARTY_NAMES[p] for p in _PARTY_ORDER if p in parties)
        split_signers = _validate.flag(split_signers, "split_signers",
                                       f"Pass split_signers=True to split the "
                                       f"{who or 'parties'}, or leave it out.")
    rc, votes = _member_votes(vote_key, c)
    chamber = str(rc["chamber"])
    where = _signer_chambers(c, signers) if split_signers else []
    if split_signers and chamber not in where:
        msg = (f"split_signers=True needs a {' or '.join(where)} roll call; {vote_key!r} is a "
               f"{chamber} vote ({_whose(_document(c))} {_signers_word(c)} sit in the "
               f"{_chambers_text(where)}). Use split_signers=False.")
        raise InvalidArgumentError(msg)
    votes = votes.copy()
    party = votes["party"].astype(str)
    labels = party.map(_PARTY_NAMES)
    order = [_PARTY_NAMES[p] for p in _PARTY_ORDER]
    if split_signers:
        member_key = c.role("votes")[chamber]["member_key"]
        signer = votes[member_key].isin(_signer_ids(c, group, signers))
        word = _signers_word(c).capitalize()
        order = []
        for p in _PARTY_ORDER:
            if (signer & (party == p)).any():
                order += [f"{word} ({p})", f"Other {_PARTY_NAMES[p]}"]
                labels = labels.mask(party == p, f"Other {_PARTY_NAMES[p]}")
            else:
                order.append(_PARTY_NAMES[p])
        labels = labels.mask(signer, word + " (" + party + ")")
    votes["group"] = labels
    table = pd.crosstab(votes["group"], votes["position"]).reindex(columns=list(POSITIONS),
                                                                   fill_value=0)
    table = table.reindex([g for g in order if g in table.index])
    table.columns = pd.Index(list(POSITIONS), name="position")
    table.index.name = "group"
    table["total"] = table.sum(axis=1)
    return table.astype(int)


def _member_chambers(c: _case.Case) -> list[str]:
    """Chambers whose vote records match the members table (or every chamber without one)."""
    if not c.has_role("members"):
        return c.chambers
    key = c.role("members")["key"]
    votes = c.role("votes")
    return [ch for ch in c.chambers if votes[ch]["member_key"] == key]


def _names(votes: pd.DataFrame, key: str) -> pd.Series:
    """Members' names from a vote table that has no members table to join (else their key)."""
    if "name" in votes.columns:
        return votes["name"]
    if {"last_name", "first_name"} <= set(votes.columns):
        return votes["last_name"] + ", " + votes["first_name"]
    return votes[key]


def member_positions(vote_key: str, *, group: str | None = None,
                     case: CaseLike = None) -> pd.DataFrame:
    """Every member's position on one roll call, with ideology scores and a signer flag.

    Members who were not in office for the vote are left out. Columns: the member key (e.g.
    ``bioguide_id``), ``name``, ``party``, ``state``, ``district`` (empty for senators),
    ``seat`` (e.g. ``'WA-07'``; the state for a senator), ``position``, ``signer``, then the
    case's score columns if it has scores (the default case: ``nominate_dim1``,
    ``nominate_dim2``; see ``policykit.case(...).role('members')``).

    Parameters
    ----------
    vote_key : str
        A roll call of a chamber the case's members table covers (every chamber if it has
        none).
    group : str, optional
        Flag only the signers of one document as ``signer`` (see :func:`signer_groups`).
    case : str or Case, optional
        The case (default: the default case).

    Examples
    --------
    >>> from policykit.analysis import member_positions
    >>> mp = member_positions("h66-117.2022")
    >>> mp.loc[mp["signer"] & (mp["position"] != "Yea"), "name"].tolist()  # only Tlaib
    ['TLAIB, Rashida']
    """
    c = _case.resolve(case)
    rc, votes = _member_votes(vote_key, c)
    chamber = str(rc["chamber"])
    allowed = _member_chambers(c)
    if chamber not in allowed:
        resource = c.role("votes")[chamber]["resource"]
        msg = (f"member_positions() needs a {' or '.join(allowed)} roll call; {vote_key!r} is "
               f"a {chamber} vote. Use {_loader(c, resource)} for "
               f"{_CHAMBER_MEMBERS.get(chamber, 'members')}.")
        raise InvalidArgumentError(msg)
    key = c.role("votes")[chamber]["member_key"]
    scores = _score_columns(c)
    cols = [k for k in (key, "party", "state", "district", "position") if k in votes.columns]
    out = votes[cols].copy()
    if c.has_role("members"):
        members = c.table("members")
        members = members[[key, "name", *scores]]
        out = out.merge(members, on=key, how="left", validate="one_to_one")
    else:
        out["name"] = _names(votes, key).to_numpy()
    if "district" not in out.columns:
        out["district"] = pd.array([pd.NA] * len(out), dtype="Int64")
    out["signer"] = out[key].isin(_signer_ids(c, group)) if c.has_role("signers") else False
    district = pd.to_numeric(out["district"], errors="coerce").astype("Int64")
    seat = out["state"].astype(str) + "-" + district.map(
        lambda d: "" if pd.isna(d) else f"{int(d):02d}").astype(str)
    out["seat"] = seat.where(district.notna().to_numpy(), out["state"].astype(str))
    cols = [key, "name", "party", "state", "district", "seat", "position", "signer", *scores]
    return out[cols].reset_index(drop=True)


def _signer_frame(c: _case.Case, group: str | None = None,
                  table: pd.DataFrame | None = None) -> pd.DataFrame:
    """The signers, indexed by their key, with ``name``, ``state``, ``district`` (and
    ``chamber`` when the case's signers sit in more than one) and ``last_name`` last."""
    spec = _signer_spec(c)
    rows = _signer_rows(c, group, table)
    out = pd.DataFrame({"name": rows[spec.get("name", "name")],
                        "state": rows["state"], "district": rows["district"]})
    if "chamber" in rows.columns and rows["chamber"].nunique() > 1:
        out["chamber"] = rows["chamber"]
    out["last_name"] = rows[spec.get("last_name", "last_name")]
    out.index = pd.Index(rows[spec["key"]], name=spec["key"])
    return out


def contrast(vote_keys: Sequence[str] | None = None, *, group: str | None = None,
             case: CaseLike = None) -> pd.DataFrame:
    """Words vs votes: each signer's position on each chosen roll call.

    Parameters
    ----------
    vote_keys : sequence of str, optional
        Roll calls of the chambers where the signers sit, in the order wanted. Default: every
        such roll call by date.
    group : str, optional
        Only the signers of one document (see :func:`signer_groups`).
    case : str or Case, optional
        The case (default: the default case).

    Returns
    -------
    pandas.DataFrame
        One row per signer (index: the signers' key, e.g. ``bioguide_id``): ``name``,
        ``state``, ``district`` (plus ``chamber`` when signers sit in both chambers), then one
        categorical column per roll call holding the position (empty for a member of the
        other chamber or not in office).

    Examples
    --------
    >>> from policykit.analysis import contrast
    >>> c = contrast(["h65-117.2022", "h145-117.2022"])
    >>> c["h145-117.2022"].value_counts().to_dict()["Yea"]  # every signer backed the $40B
    30
    """
    c = _case.resolve(case)
    table = c.table("signers")
    chambers = _signer_chambers(c, table)
    rc = _rollcalls(c)
    if vote_keys is None:
        vote_keys = _in_date_order(rc[rc["chamber"].isin(chambers)])["vote_key"].tolist()
    else:
        vote_keys = _as_list(vote_keys)
    if len(vote_keys) == 0:
        where = " or ".join(chambers)
        see = (f"vote_keys({chambers[0]!r}{_case_arg(c)})" if len(chambers) == 1
               else f"vote_keys({_case_arg(c, first=True)})")
        msg = (f"contrast() needs at least one {where} roll call; got an empty selection. "
               f"See policykit.analysis.{see}.")
        raise InvalidArgumentError(msg)
    chamber_of = dict(zip(rc["vote_key"], rc["chamber"].astype(str), strict=True))
    for key in vote_keys:
        if not isinstance(key, str) or key not in chamber_of:
            _vote_key(key, c)  # raises, naming the closest key
        chamber = chamber_of[key]
        if chamber not in chambers:
            msg = (f"contrast() compares {_whose(_document(c))} {_signers_word(c)}, who sit in the "
                   f"{_chambers_text(chambers)}; {key!r} is a {chamber} vote. Pick "
                   f"{' or '.join(chambers)} keys (they start with "
                   f"{_key_prefixes(c, chambers)}).")
            raise InvalidArgumentError(msg)
    signers = _signer_frame(c, group, table).drop(columns="last_name")
    frames = []
    for chamber in chambers:
        votes = c.table("votes", chamber)
        key = c.role("votes")[chamber]["member_key"]
        votes = votes[votes["vote_key"].isin(vote_keys) & votes[key].isin(signers.index)]
        frames.append(votes[["vote_key", key, "position"]].rename(columns={key: "_member"}))
    votes = pd.concat(frames, ignore_index=True)
    votes["position"] = votes["position"].astype(str)
    wide = votes.pivot(index="_member", columns="vote_key", values="position")
    wide = wide.reindex(columns=list(vote_keys))
    out = signers.join(wide)
    for key in vote_keys:
        out[key] = pd.Categorical(out[key], categories=list(POSITIONS))
    out.columns.name = None
    return out


def find_passages(phrase: str, *, case: CaseLike = None) -> pd.DataFrame:
    """Verified passages of the case's document(s) containing ``phrase`` (case-insensitive).

    The text may be incomplete: no match does not mean the document never says it.

    Examples
    --------
    >>> from policykit.analysis import find_passages
    >>> find_passages("direct talks")["passage_id"].tolist()
    ['p-we-urge-4ced']
    """
    c = _case.resolve(case)
    if not isinstance(phrase, str) or not phrase.strip():
        msg = (f"find_passages() needs a non-empty phrase to search for; got {phrase!r}. "
               f"Try e.g. find_passages({_examples(c).get('phrase', 'war')!r}"
               f"{_case_arg(c)}).")
        raise InvalidArgumentError(msg)
    passages = c.table("documents")
    hit = passages["text"].str.contains(phrase.strip(), case=False, regex=False)
    return passages[hit].reset_index(drop=True)


def _column(frame: pd.DataFrame, name: str, fallback: object) -> pd.Series | object:
    return frame[name] if name in frame.columns else fallback


def _frames_for_timeline(c: _case.Case) -> list[pd.DataFrame]:
    rc = _rollcalls(c)
    frames = [pd.DataFrame({
        "date": rc["date"], "date_public": rc["date"], "kind": "roll call",
        "lane": rc["chamber"].astype(str) + " vote",
        "label": rc["display_title"] + " — " + rc["chamber"].astype(str) + " roll "
        + rc["roll"].astype(str),
        "detail": rc["yea"].astype(str) + "-" + rc["nay"].astype(str) + ", " + rc["result"],
        "sources": rc["sources"]})]
    if c.has_role("events"):
        ev = c.table("events")
        note = _column(ev, "date_public_note", "")
        frames.insert(0, pd.DataFrame({
            "date": ev["date"], "date_public": _column(ev, "date_public", ev["date"]),
            "kind": "event", "lane": ev["category"].astype(str), "label": ev["event"],
            "detail": note.fillna("") if isinstance(note, pd.Series) else note,
            "sources": ev["sources"]}))
    if c.has_role("responses"):
        rs = c.table("responses")
        frames.append(pd.DataFrame({
            "date": rs["date"], "date_public": rs["date"], "kind": "response",
            "lane": rs["actor_type"].astype(str), "label": rs["speaker"] + ": " + rs["quote"],
            "detail": rs["stance"], "sources": rs["sources"]}))
    if c.has_role("statements"):
        st = c.table("statements")
        frames.append(pd.DataFrame({
            "date": st["date"], "date_public": st["date"], "kind": "statement",
            "lane": c.label("statement_lane", "statement"),
            "label": st["speaker"] + ": " + st["quote"],
            "detail": st["statement"].astype(str), "sources": st["sources"]}))
    return frames


def timeline(*, as_known_on: str | pd.Timestamp | None = None,
             case: CaseLike = None) -> pd.DataFrame:
    """One time axis: events, roll calls, responses and statements.

    Parameters
    ----------
    as_known_on : date-like, optional
        Keep only what had become public by that date (in the default case, the letter's
        signatures were gathered from 30 June but became public on 24-25 October).
    case : str or Case, optional
        The case (default: the default case). Roles it lacks (e.g. statements) add no rows.

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
    c = _case.resolve(case)
    out = pd.concat(_frames_for_timeline(c), ignore_index=True)
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


def _states(c: _case.Case) -> list[str]:
    """The states of the case's members (members table, else its vote records)."""
    if c.has_role("members"):
        states = c.table("members")["state"]
    else:
        states = pd.concat([c.table("votes", ch)["state"].astype(str) for ch in c.chambers])
    return sorted(states.astype(str).unique())


def filter_members(frame: pd.DataFrame, *, party: str | None = None, state: str | None = None,
                   signers: SignerFilter = "all", case: CaseLike = None) -> pd.DataFrame:
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
        Keep everyone, only the signers, or only members who did not sign.
    case : str or Case, optional
        The case the frame comes from (for the list of states; default: the default case).

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
    c = _case.resolve(case)
    frame = _validate.frame(frame, "frame", ["party", "state", "signer"],
                            *_from_member_positions(c))
    _check_choice("signers filter", signers, SIGNER_FILTERS)
    keep = pd.Series(True, index=frame.index)
    if party not in (None, "all"):
        _check_choice("party", party, ["D", "R", "I"])
        keep &= frame["party"].astype(str) == party
    if state not in (None, "all"):
        _check_choice("state", state, _states(c))
        keep &= frame["state"].astype(str) == state
    if signers == "signers":
        keep &= frame["signer"]
    elif signers == "non-signers":
        keep &= ~frame["signer"]
    return frame[keep]


def position_counts(frame: pd.DataFrame, *, case: CaseLike = None) -> pd.Series:
    """Count the ``position`` column of any member-level frame, in :data:`POSITIONS` order.

    ``case`` only changes the example shown when ``frame`` is not such a frame.

    Examples
    --------
    >>> from policykit.analysis import member_positions, position_counts
    >>> position_counts(member_positions("h145-117.2022")).to_dict()
    {'Yea': 368, 'Nay': 57, 'Present': 0, 'Not Voting': 5}
    """
    frame = _validate.frame(frame, "frame", ["position"],
                            *_from_member_positions(_case.resolve(case)))
    counts = frame["position"].astype(str).value_counts().reindex(list(POSITIONS), fill_value=0)
    counts.index = pd.Index(list(POSITIONS), name="position")
    counts.name = "count"
    return counts.astype(int)


def tally_check(vote_key: str, *, case: CaseLike = None) -> pd.DataFrame:
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
    >>> tally_check("h151-118.2024", case="gop_letters_2023")["recorded"].tolist()
    [311, 112, 1, 7]
    """
    out = pd.DataFrame({"recomputed": tally(vote_key, case=case),
                        "recorded": recorded_tally(vote_key, case=case)})
    out["match"] = out["recomputed"] == out["recorded"]
    return out


def signer_grid(vote_keys: Sequence[str] | None = None, *, sort_by: SignerSort = "name",
                group: str | None = None, case: CaseLike = None) -> pd.DataFrame:
    """Signers x roll calls, with ideology (where the case has scores) and a Nay count, sorted.

    Parameters
    ----------
    vote_keys : sequence of str, optional
        Roll calls of the chambers where the signers sit (default: all, by date). An empty
        selection raises.
    sort_by : {'name', 'state', 'ideology', 'nays'}
        ``name``: surname A-Z; ``state``: state then district; ``ideology``: the case's score
        (the default case: DW-NOMINATE first dimension), most negative (left) first; ``nays``:
        most Nay votes first. A case without scores cannot sort by ideology.
    group : str, optional
        Only the signers of one document (see :func:`signer_groups`).
    case : str or Case, optional
        The case (default: the default case).

    Returns
    -------
    pandas.DataFrame
        :func:`contrast` plus ``last_name``, the case's first score column if it has one
        (the default case: ``nominate_dim1``) and ``nays`` (the number of Nay positions among
        ``vote_keys``).

    Examples
    --------
    >>> from policykit.analysis import signer_grid
    >>> g = signer_grid(["h65-117.2022", "h66-117.2022"], sort_by="nays")
    >>> int((g["nays"] > 0).sum())  # 13 signers voted Nay on roll 65, none on roll 66
    13
    """
    c = _case.resolve(case)
    _check_sort(sort_by, c)
    grid = contrast(vote_keys, group=group, case=c)
    grid.insert(1, "last_name", _signer_frame(c, group)["last_name"].reindex(grid.index))
    scores = _score_columns(c)
    if scores:
        dim1 = c.table("members").set_index(c.role("members")["key"])[scores[0]]
        grid[scores[0]] = dim1.reindex(grid.index).to_numpy()
    return sort_signer_grid(grid, sort_by, case=c)


def _check_sort(sort_by: object, c: _case.Case) -> None:
    _check_choice("sort order", sort_by, SIGNER_SORTS)
    if sort_by == "ideology" and not _score_columns(c):
        others = ", ".join(repr(s) for s in SIGNER_SORTS if s != "ideology")
        msg = (f"sort_by='ideology' needs ideology scores, and case {c.id!r} has none: "
               f"{_no_score_reason(c).rstrip('.')}. Allowed: {others}. Sort by one of them.")
        raise InvalidArgumentError(msg)


def _is_vote_column(column: pd.Series) -> bool:
    dtype = column.dtype
    return isinstance(dtype, pd.CategoricalDtype) and list(dtype.categories) == list(POSITIONS)


def sort_signer_grid(grid: pd.DataFrame, sort_by: SignerSort = "name", *,
                     vote_keys: Sequence[str] | None = None,
                     case: CaseLike = None) -> pd.DataFrame:
    """Re-sort a :func:`signer_grid`, optionally keeping only some of its roll calls.

    Cheaper than calling :func:`signer_grid` again: nothing is reloaded. ``nays`` is
    recomputed over the roll calls kept. ``case`` is the case the grid comes from.

    Examples
    --------
    >>> from policykit.analysis import signer_grid, sort_signer_grid
    >>> full = signer_grid()
    >>> g = sort_signer_grid(full, "nays", vote_keys=["h66-117.2022"])
    >>> int(g["nays"].sum())  # no signer voted Nay on roll 66
    0
    """
    c = _case.resolve(case)
    scores = _score_columns(c)[:1]
    grid = _validate.frame(grid, "grid", ["name", "last_name", "state", "district", *scores],
                           "policykit.analysis.signer_grid()",
                           f"signer_grid({_case_arg(c, first=True)})")
    _check_sort(sort_by, c)
    all_keys = [k for k in grid.columns if _is_vote_column(grid[k])]
    fixed = [k for k in grid.columns if k not in all_keys and k != "nays"]
    if vote_keys is not None:
        vote_keys = _as_list(vote_keys)
        for key in vote_keys:
            if key not in all_keys:
                _check_choice("roll call in the grid", key, all_keys)
        grid = grid[fixed + vote_keys]
    grid = grid.copy()
    keys = [k for k in grid.columns if _is_vote_column(grid[k])]
    # Compared column by column as objects: astype(str) of categorical columns is slow, and the
    # explorers re-sort on every control change.
    nays = np.zeros(len(grid), dtype=int)
    for key in keys:
        nays += grid[key].to_numpy(dtype=object) == "Nay"
    grid["nays"] = nays
    order = {"name": (["last_name", "name"], [True, True]),
             "state": (["state", "district", "last_name"], [True, True, True]),
             "ideology": ([*scores, "last_name"], [True, True]),
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
                    actors: Iterable[str] | None = None,
                    case: CaseLike = None) -> pd.DataFrame:
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
        Lanes of responses and statements to keep (actor types and the case's statement
        lane, e.g. ``'caucus statement'``); default all.
    case : str or Case, optional
        The case the frame comes from (for the lanes it knows; default: the default case).

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
    known = _all_lanes(_case.resolve(case))
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
def _all_lanes(c: _case.Case) -> pd.DataFrame:
    return timeline_lanes(case=c)


def timeline_lanes(frame: pd.DataFrame | None = None, *, case: CaseLike = None) -> pd.DataFrame:
    """The lanes of the timeline: categories (events, roll calls), then actors.

    Parameters
    ----------
    frame : pandas.DataFrame, optional
        A :func:`timeline` frame (default: the case's whole timeline).
    case : str or Case, optional
        The case whose timeline is read when ``frame`` is None (default: the default case).

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
    if frame is None:
        frame = timeline(case=case)
    else:
        frame = _validate.frame(frame, "frame", ["kind", "lane"], *_FROM_TIMELINE)
    kind_order = {"event": 0, "roll call": 1, "statement": 2, "response": 3}
    lanes = (frame.assign(kind_rank=frame["kind"].astype(str).map(kind_order),
                          key=lane_keys(frame), lane=frame["lane"].astype(str))
             .groupby(["kind_rank", "key", "lane"], sort=True).size().reset_index(name="rows"))
    lanes["group"] = lanes["key"].str.split(":").str[0]
    return lanes[["key", "lane", "group", "rows"]].reset_index(drop=True)


def source_urls(ids: str | None, *, case: CaseLike = None) -> list[tuple[str, str]]:
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
    c = _case.resolve(case)
    urls = c.table("sources").set_index(c.role("sources")["key"])["url"]
    out = []
    for sid in str(ids).split(";"):
        sid = sid.strip()
        if sid:
            out.append((sid, str(urls[sid]) if sid in urls.index else ""))
    return out


def find_in_record(phrase: str | None = None, *, case: CaseLike = None) -> pd.DataFrame:
    """The document's verified passages and the statements, flagged for a phrase.

    Parameters
    ----------
    phrase : str, optional
        Case-insensitive phrase; ``None`` or blank marks nothing as a match.
    case : str or Case, optional
        The case (default: the default case).

    Returns
    -------
    pandas.DataFrame
        One row per passage or statement sentence: ``document`` (for a passage, the document
        it belongs to, e.g. ``'letter'``; for a statement, which statement, e.g.
        ``'clarification'`` or ``'withdrawal'``), ``item_id``, ``date`` (empty for passages,
        which were written before their release), ``text``, ``key_phrases``, ``truncated``,
        ``match``.

    Examples
    --------
    >>> from policykit.analysis import find_in_record
    >>> r = find_in_record("direct talks")
    >>> r.loc[r["match"], ["document", "item_id"]].values.tolist()
    [['letter', 'p-we-urge-4ced']]
    """
    c = _case.resolve(case)
    frames = []
    if c.has_role("documents"):
        spec = c.role("documents")
        passages = c.table("documents")
        name = spec.get("document")
        document = (passages[name].astype(str) if name
                    else c.label("document_kind", "document"))
        phrases = _column(passages, "key_phrases", "")
        frames.append(pd.DataFrame({
            "document": document, "item_id": passages[spec["key"]], "date": pd.NaT,
            "text": passages["text"],
            "key_phrases": phrases.fillna("") if isinstance(phrases, pd.Series) else phrases,
            "truncated": _column(passages, "truncated", False)}))
        frames[-1]["truncated"] = frames[-1]["truncated"].astype(bool)
    if c.has_role("statements"):
        statements = c.table("statements")
        frames.append(pd.DataFrame({
            "document": statements["statement"].astype(str),
            "item_id": statements[c.role("statements")["key"]], "date": statements["date"],
            "text": statements["quote"], "key_phrases": "", "truncated": False}))
    columns = ["document", "item_id", "date", "text", "key_phrases", "truncated"]
    out = (pd.concat(frames, ignore_index=True) if frames
           else pd.DataFrame({col: pd.Series(dtype=object) for col in columns}))
    if phrase is not None and not isinstance(phrase, str):
        msg = (f"phrase must be a string; got {type(phrase).__name__} {phrase!r}. "
               f"Try e.g. find_in_record({_examples(c).get('record_phrase', 'war')!r}"
               f"{_case_arg(c)}).")
        raise InvalidArgumentError(msg)
    if phrase is None or not phrase.strip():
        out["match"] = False
    else:
        out["match"] = out["text"].str.contains(phrase.strip(), case=False, regex=False)
    out["match"] = out["match"].astype(bool)
    for col in ("document", "item_id", "text", "key_phrases"):
        out[col] = out[col].astype("string")
    return out
