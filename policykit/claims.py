"""Check claims about a case's document, its signers and the votes, and keep the evidence.

Every check returns a :class:`ClaimCheck`: the claim in words, a verdict, a short explanation,
the rows of policykit's data that settle it, and the ids of the sources those rows rest on
(``policykit.load_sources()`` resolves them to URLs). In Jupyter a check renders as a card with
a verdict badge and the evidence table; ``print()`` gives the same as plain text.

There are three verdicts, listed in :data:`VERDICTS`:

- ``"supported"``: the data agree with the claim;
- ``"contradicted"``: the data disagree with it;
- ``"not settled by the data"``: the data cannot decide it, for example a claim about motives,
  or about wording that is not among the document's verified passages (the text is
  incomplete).

The checks are pure functions: they read the curated tables and nothing else, never draw,
never display and never touch the network. Every check that reads data takes ``case=`` (a
case id from ``policykit.list_cases()``, a ``policykit.case(...)`` object, or ``None`` for the
default case) and reads the case's tables through their roles, with the labels, named events
and claim settings of the case's ``policykit`` property (its ``claims`` section).

The ``claims`` section may hold ``event_phrases`` (event key -> how a claim words it),
``statement_events`` (event key -> the ``statement`` whose rows date it too), ``packages``
(the roll calls :func:`every_package` checks by default), ``every_package`` (``claim``,
``source`` {``role``, ``starts``, and ``date``/``cited_as`` for a document}, ``position``,
``groups`` {name: ``label``, ``party`` or ``signers``, and optionally the group's own
``claim``/``source``/``position``/``note``}, ``default_group``, ``group_hint``,
``packages_hint``, ``note``) and ``not_voting_note``. A ``letters`` role (``key``,
``reported``, ``complete``) tells :func:`signer_count` a document's reported count and
whether its list of signers is complete.

Examples
--------
>>> from policykit import claims
>>> check = claims.only_party_voted("h141-117.2022", "Nay", "R")
>>> check.verdict
'supported'
>>> len(check.evidence)  # the ten members who voted Nay on House roll 141
10
>>> claims.event_date("withdrawal", "2022-10-15").verdict
'contradicted'
"""

from __future__ import annotations

import datetime as _dt
import html
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, NoReturn

import pandas as pd

from . import _case, _validate, analysis
from .analysis import CaseLike
from .errors import InvalidArgumentError, closest, invalid_choice

__all__ = [
    "AID_TOLERANCE",
    "EVENTS",
    "PACKAGE_GROUPS",
    "VERDICTS",
    "ClaimCheck",
    "Verdict",
    "aid_amount",
    "event_date",
    "every_package",
    "letter_says",
    "not_settled",
    "only_party_voted",
    "signer_count",
    "signer_state",
    "signers_voted",
    "summary",
    "vote_totals",
]

Verdict = Literal["supported", "contradicted", "not settled by the data"]
VERDICTS: tuple[str, ...] = ("supported", "contradicted", "not settled by the data")


def _claims_config(c: _case.Case) -> dict[str, Any]:
    """The ``claims`` section of the case's ``policykit`` property ({} if none)."""
    return analysis._section(c, "claims")


def _event_keys(c: _case.Case) -> dict[str, str]:
    """``event_key`` -> ``event_id`` of the case's named events (its ``events`` table)."""
    ev = c.table("events")
    key = c.role("events")["key"]
    ev = ev[ev[key].notna()]
    return dict(zip(ev[key], ev["event_id"], strict=True))


class _DefaultCaseTable(Mapping[str, str]):
    """A read-only mapping computed from the default case on each use (so it follows the data)."""

    def __init__(self, name: str, build: Callable[[_case.Case], dict[str, str]]) -> None:
        self._name, self._build = name, build

    def _table(self) -> dict[str, str]:
        return self._build(_case.resolve(None))

    def __getitem__(self, key: str) -> str:
        return self._table()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._table())

    def __len__(self) -> int:
        return len(self._table())

    def __repr__(self) -> str:
        return f"{self._name}({self._table()!r})"


#: Events of the default case a claim can date, by a short key, with the ``events`` row each
#: one stands for (read from the data: ``policykit.load_events()["event_key"]``). For another
#: case: ``policykit.case(case_id).load(...)`` of its events table.
EVENTS: Mapping[str, str] = _DefaultCaseTable("EVENTS", _event_keys)


_PARTIES = {"D": "Democrats", "R": "Republicans", "I": "Independents"}
_PARTY = {"D": "Democrat", "R": "Republican", "I": "Independent"}
_PARTY_ALIASES = {
    "d": "D", "dem": "D", "democrat": "D", "democrats": "D", "democratic": "D",
    "r": "R", "rep": "R", "gop": "R", "republican": "R", "republicans": "R",
    "i": "I", "ind": "I", "independent": "I", "independents": "I",
}

# USPS codes for the states, DC and the territories with a House delegate.
_STATES = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California",
    "CO": "Colorado", "CT": "Connecticut", "DE": "Delaware", "FL": "Florida", "GA": "Georgia",
    "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois", "IN": "Indiana", "IA": "Iowa",
    "KS": "Kansas", "KY": "Kentucky", "LA": "Louisiana", "ME": "Maine", "MD": "Maryland",
    "MA": "Massachusetts", "MI": "Michigan", "MN": "Minnesota", "MS": "Mississippi",
    "MO": "Missouri", "MT": "Montana", "NE": "Nebraska", "NV": "Nevada", "NH": "New Hampshire",
    "NJ": "New Jersey", "NM": "New Mexico", "NY": "New York", "NC": "North Carolina",
    "ND": "North Dakota", "OH": "Ohio", "OK": "Oklahoma", "OR": "Oregon", "PA": "Pennsylvania",
    "RI": "Rhode Island", "SC": "South Carolina", "SD": "South Dakota", "TN": "Tennessee",
    "TX": "Texas", "UT": "Utah", "VT": "Vermont", "VA": "Virginia", "WA": "Washington",
    "WV": "West Virginia", "WI": "Wisconsin", "WY": "Wyoming", "DC": "District of Columbia",
    "AS": "American Samoa", "GU": "Guam", "MP": "Northern Mariana Islands",
    "PR": "Puerto Rico", "VI": "U.S. Virgin Islands",
}


# --- The result --------------------------------------------------------------------------------

@dataclass(frozen=True)
class ClaimCheck:
    """A claim, its verdict and the rows of data that settle it.

    Parameters
    ----------
    claim : str
        The claim, in words.
    verdict : {"supported", "contradicted", "not settled by the data"}
        What the data say about it.
    explanation : str
        Why, in a sentence or two, with the numbers.
    evidence : pandas.DataFrame
        The rows that settle the claim (or, for an unsettled claim, the closest related rows,
        possibly none). Where the claim is about the members of a group, a boolean
        ``fits_claim`` column marks the rows that agree with it; the rows that decide the
        verdict come first.
    sources : tuple of str
        Ids of the sources the evidence rests on; ``policykit.load_sources()`` resolves them.

    Examples
    --------
    >>> from policykit.claims import signer_count
    >>> check = signer_count(30)
    >>> check.verdict, len(check.evidence)
    ('supported', 30)
    >>> print(str(check).splitlines()[1])
    Verdict: SUPPORTED
    """

    claim: str
    verdict: Verdict
    explanation: str
    evidence: pd.DataFrame = field(repr=False)
    sources: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.verdict not in VERDICTS:
            msg = invalid_choice("verdict", self.verdict, VERDICTS,
                                 "A ClaimCheck's verdict must be one of these.")
            raise InvalidArgumentError(msg)
        object.__setattr__(self, "sources", tuple(self.sources))

    def __str__(self) -> str:
        lines = [f"Claim: {self.claim}", f"Verdict: {self.verdict.upper()}",
                 f"Why: {self.explanation}", f"Evidence ({_plural(len(self.evidence), 'row')}):"]
        if self.evidence.empty:
            lines.append("  (no rows)")
        else:
            lines.append(self.evidence.to_string(index=False, max_rows=40, max_colwidth=70))
        lines.append("Sources: " + ("; ".join(self.sources) if self.sources else "(none)"))
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        e = html.escape
        colours = {"supported": "#1a7f37", "contradicted": "#cf222e",
                   "not settled by the data": "#6e7781"}
        badge = (f"<span style='background:{colours[self.verdict]};color:#fff;"
                 f"padding:2px 8px;border-radius:4px;font-weight:bold'>"
                 f"{e(self.verdict.upper())}</span>")
        if self.evidence.empty:
            table = "<p><em>No rows.</em></p>"
        else:
            table = self.evidence.to_html(index=False, max_rows=40, na_rep="",
                                          border=0, escape=True)
        sources = (", ".join(f"<code>{e(s)}</code>" for s in self.sources)
                   if self.sources else "<em>none</em>")
        return (
            "<div class='policykit-claim'>"
            f"<p><strong>Claim:</strong> {e(self.claim)}</p>"
            f"<p><strong>Verdict:</strong> {badge}</p>"
            f"<p><strong>Why:</strong> {e(self.explanation)}</p>"
            f"<details open><summary>Evidence ({_plural(len(self.evidence), 'row')})</summary>"
            f"{table}"
            "</details>"
            f"<p><strong>Sources:</strong> {sources} "
            "<small>(resolve with <code>policykit.load_sources()</code>)</small></p></div>"
        )


def summary(checks: Iterable[ClaimCheck]) -> pd.DataFrame:
    """Tabulate several checks: one row per claim with its verdict and evidence size.

    Examples
    --------
    >>> from policykit import claims
    >>> t = claims.summary([claims.signer_count(30), claims.signer_count(40)])
    >>> t["verdict"].tolist()
    ['supported', 'contradicted']
    """
    checks = list(checks)
    for c in checks:
        if not isinstance(c, ClaimCheck):
            msg = (f"summary() takes ClaimCheck results; got {type(c).__name__!r}. "
                   "Allowed: the values returned by the functions of policykit.claims. "
                   "Pass a list such as [claims.signer_count(30), ...].")
            raise InvalidArgumentError(msg)
    return pd.DataFrame({
        "claim": [c.claim for c in checks],
        "verdict": [c.verdict for c in checks],
        "evidence_rows": [len(c.evidence) for c in checks],
        "sources": ["; ".join(c.sources) for c in checks],
    })


# --- Helpers -----------------------------------------------------------------------------------

def _source_ids(values: Iterable[object]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for v in values:
        if isinstance(v, str):
            for s in v.split(";"):
                if s.strip():
                    seen.setdefault(s.strip(), None)
    return tuple(seen)


def _party(value: object) -> str:
    names = ["D", "R", "I", "Democrats", "Republicans", "Independents"]
    return _validate.choice("party", value, [], "Use 'D', 'R' or 'I' (or the party's name).",
                            aliases=_PARTY_ALIASES, shown=", ".join(map(repr, names)),
                            suggest=names)


def _position(value: object) -> str:
    return _validate.choice(
        "position", value, analysis.POSITIONS,
        "Positions are spelt as in the House Clerk's record ('Yea', 'Nay', ...).", fold=True)


def _state(value: object, c: _case.Case) -> str:
    return _validate.choice(
        "state", value, list(_STATES),
        f"See {analysis._role_loader(c, 'signers')}['state'] for the "
        f"{analysis._signers_word(c)}' states.", fold=True,
        aliases={name.casefold(): code for code, name in _STATES.items()},
        shown="a two-letter code such as 'MN' or a state's name such as 'Minnesota'",
        suggest=list(_STATES) + list(_STATES.values()))


def _date(value: object, c: _case.Case, what: str = "date") -> pd.Timestamp:
    example = analysis._examples(c).get("date")
    hint = f", e.g. {example!r}" if example else ""
    return _validate.as_date(value, what, f"Pass the date the claim gives{hint}.")


def _count(value: object, what: str) -> int:
    return _validate.whole_number(value, what)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _document(c: _case.Case, group: str | None = None) -> str:
    """'the letter', or the name of one group's document (e.g. 'letter B')."""
    if group is None:
        return analysis._document(c)
    return c.label(f"group:{group}", f"{analysis._document(c)} ({group})")


def _signer_word(c: _case.Case) -> str:
    return c.label("signer", "signer")


def _signer_key(vote_key: str, func: str, c: _case.Case) -> pd.Series:
    """The roll call, if it is of a chamber where the case's signers sit."""
    rc = analysis.rollcall(vote_key, case=c)
    chambers = analysis._signer_chambers(c)
    if rc["chamber"] not in chambers:
        see = (f"vote_keys({chambers[0]!r}{analysis._case_arg(c)})" if len(chambers) == 1
               else f"vote_keys({analysis._case_arg(c, first=True)})")
        msg = (f"{func}() is about {analysis._whose(analysis._document(c))} "
               f"{analysis._signers_word(c)}, who "
               f"sit in the {analysis._chambers_text(chambers)}; {vote_key!r} is a "
               f"{rc['chamber']} vote. Allowed: {' or '.join(chambers)} keys, which start "
               f"with {analysis._key_prefixes(c, chambers)}. See policykit.analysis.{see}.")
        raise InvalidArgumentError(msg)
    return rc


def _vote_name(rc: pd.Series) -> str:
    return (f"{rc['display_title']} ({rc['chamber']} roll {int(rc['roll'])}, "
            f"{rc['date'].date().isoformat()})")


def _signer(name: object, c: _case.Case) -> pd.Series:
    """The one signer whose key, name, surname or alternative name (the signers role's
    ``alt_names`` columns, e.g. the name a vote record prints) is ``name``, ignoring case."""
    spec = c.role("signers")
    signers = analysis._signer_rows(c)
    name_col, last_col, key = spec.get("name", "name"), spec.get("last_name", "last_name"), \
        spec["key"]
    alt_cols = [str(a) for a in spec.get("alt_names") or []]
    if isinstance(name, str):
        wanted = name.strip().casefold()
        hit = signers[signers[key].astype(str).str.casefold() == wanted]
        if len(hit) == 1:
            return hit.iloc[0]
        found = pd.Series(False, index=signers.index)
        for col in (name_col, last_col, *alt_cols):
            found |= signers[col].astype("string").str.casefold().eq(wanted).fillna(False)
        if found.sum() == 1:
            return signers[found.to_numpy()].iloc[0]
        if found.sum() > 1:
            _ambiguous(name, signers[found.to_numpy()], c)
    allowed = signers[last_col].tolist() + signers[name_col].tolist() + [
        str(v) for col in alt_cols for v in signers[col].dropna()]
    shown = ", ".join(repr(n) for n in signers[last_col].tolist()[:6])
    hint = closest(name, allowed)
    if isinstance(name, str) and not hint and c.has_role("members"):
        surnames = c.table("members")["name"].str.split(",").str[0].str.casefold()
        if name.strip().casefold() in set(surnames):
            hint = (f" {name.strip()!r} is a {c.label('member', 'member')}'s surname, but not "
                    f"a {_signer_word(c)}'s.")
    msg = (f"Unknown {_signer_word(c)} {name!r}. Allowed: one of "
           f"{analysis._whose(analysis._document(c))} {len(signers)} "
           f"{analysis._signers_word(c)}, by surname "
           f"({shown}, ...), full name{_alt_text(alt_cols)} or "
           f"{key.replace('_id', ' id').replace('_', ' ')}.{hint} "
           f"See {analysis._role_loader(c, 'signers')}['{name_col}'].")
    raise InvalidArgumentError(msg)


def _alt_text(alt_cols: list[str]) -> str:
    """', record name' for the alternative name columns (none: '')."""
    return "".join(f", {col.replace('_', ' ')}" for col in alt_cols)


def _ambiguous(name: str, hits: pd.DataFrame, c: _case.Case) -> NoReturn:
    """Raise: ``name`` is the name of more than one signer."""
    spec = c.role("signers")
    name_col, key = spec.get("name", "name"), spec["key"]
    who = ", ".join(f"{n!r} ({k})" for n, k in zip(hits[name_col], hits[key], strict=True))
    msg = (f"Ambiguous {_signer_word(c)} {name!r}: it names {len(hits)} "
           f"{analysis._signers_word(c)}: {who}. Allowed: a name that matches one "
           f"{_signer_word(c)}. Did you mean {hits[name_col].iloc[0]!r}? Pass the full name "
           f"or the {key.replace('_id', ' id').replace('_', ' ')} of the one you mean.")
    raise InvalidArgumentError(msg)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def _party_count(n: int, party: str) -> str:
    """'1 Independent', '2 Democrats'."""
    return f"{n} {(_PARTY if n == 1 else _PARTIES)[party]}"


def _article(word: str) -> str:
    """'a Republican', 'an Independent'."""
    return ("an " if word[:1].lower() in "aeiou" else "a ") + word


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _chamber_rows(vote_key: str, c: _case.Case) -> pd.DataFrame:
    """Every member's row on one roll call: ``member`` (the key), ``name``, ``party``,
    ``state``, ``district`` (if the chamber has districts), ``position``, ``sources``."""
    rc = analysis.rollcall(vote_key, case=c)
    chamber = str(rc["chamber"])
    key = c.role("votes")[chamber]["member_key"]
    votes = c.table("votes", chamber)
    votes = votes[votes["vote_key"] == rc["vote_key"]]
    if chamber in analysis._member_chambers(c):
        mp = analysis.member_positions(vote_key, case=c)
        rows = mp[[key, "name", "party", "state", "district", "position"]].merge(
            votes[[key, "sources"]], on=key, how="left")
        if "district" not in votes.columns:
            rows = rows.drop(columns="district")
    else:
        rows = pd.DataFrame({key: votes[key], "name": analysis._names(votes, key),
                             "party": votes["party"], "state": votes["state"],
                             "position": votes["position"], "sources": votes["sources"]})
    return rows.rename(columns={key: "member"}).reset_index(drop=True)


# --- Votes -------------------------------------------------------------------------------------

def only_party_voted(vote_key: str, position: str, party: str, *,
                     case: CaseLike = None) -> ClaimCheck:
    """Check "only <party> voted <position>" on one roll call (House or Senate).

    Parameters
    ----------
    vote_key : str
        A key from ``policykit.load_rollcalls()``, e.g. ``'h141-117.2022'``.
    position : {"Yea", "Nay", "Present", "Not Voting"}
        The position the claim is about ("voted against" is ``'Nay'``).
    party : str
        ``'D'``, ``'R'`` or ``'I'`` (party names such as ``'Republicans'`` work too).
    case : str or Case, optional
        The case (default: the default case).

    Returns
    -------
    ClaimCheck
        Supported when at least one member took that position and all of them belong to the
        party. Evidence: every member who took the position, with ``fits_claim``.

    Examples
    --------
    >>> from policykit.claims import only_party_voted
    >>> c = only_party_voted("h141-117.2022", "Nay", "Republicans")  # Lend-Lease, House
    >>> c.verdict, sorted(set(c.evidence["party"]))
    ('supported', ['R'])
    >>> only_party_voted("h65-117.2022", "Nay", "R").verdict  # 15 Democrats voted Nay too
    'contradicted'
    """
    c = _case.resolve(case)
    rc = analysis.rollcall(vote_key, case=c)
    position = _position(position)
    party = _party(party)
    rows = _chamber_rows(vote_key, c)
    rows = rows[rows["position"].astype(str) == position].drop(columns="member")
    rows["party"] = rows["party"].astype(str)
    rows["position"] = rows["position"].astype(str)
    rows["fits_claim"] = rows["party"] == party
    rows = rows.sort_values(["fits_claim", "name"], kind="stable").reset_index(drop=True)
    rows = rows[[c for c in rows.columns if c != "sources"] + ["sources"]]
    claim = f"Only {_PARTIES[party]} voted {position} on {_vote_name(rc)}."
    n = len(rows)
    others = rows.loc[~rows["fits_claim"], "party"].value_counts()
    if n == 0:
        verdict: Verdict = "contradicted"
        why = f"Nobody voted {position} on this roll call, so no party did."
    elif others.empty:
        verdict = "supported"
        why = (f"The one member recorded as {position} is {_article(_PARTY[party])}." if n == 1
               else f"All {_plural(n, 'member')} recorded as {position} are "
                    f"{_PARTIES[party]}.")
    else:
        verdict = "contradicted"
        parts = ", ".join(_party_count(int(k), p) for p, k in others.items() if k)
        fits = n - int(others.sum())
        why = (f"{_plural(n, 'member')} voted {position}: not only {_PARTIES[party]} but also "
               f"{parts}." if fits else
               f"{_plural(n, 'member')} voted {position}, none of them {_PARTIES[party]}: "
               f"{parts}.")
    return ClaimCheck(claim, verdict, why, rows, _source_ids(rows["sources"]))


def vote_totals(vote_key: str, *, yea: int | None = None, nay: int | None = None,
                case: CaseLike = None) -> ClaimCheck:
    """Check a reported tally ("passed 361-69") against the official record.

    The evidence lists every roll call of the same chamber on the same bill, so that a split
    vote (the March 2022 omnibus had two House votes) or a later vote is in plain sight.

    Parameters
    ----------
    vote_key : str
        The roll call the claim is about.
    yea, nay : int, optional
        The reported totals; give at least one.
    case : str or Case, optional
        The case (default: the default case).

    Examples
    --------
    >>> from policykit.claims import vote_totals
    >>> c = vote_totals("h65-117.2022", yea=361, nay=69)
    >>> c.verdict, len(c.evidence)  # the evidence also shows roll 66 on the same bill
    ('supported', 2)
    >>> vote_totals("h66-117.2022", yea=361, nay=69).verdict
    'contradicted'
    >>> vote_totals("s154-118.2024", yea=79, nay=18, case="gop_letters_2023").verdict
    'supported'
    """
    c = _case.resolve(case)
    rc = analysis.rollcall(vote_key, case=c)
    if yea is None and nay is None:
        example = analysis.rollcall(analysis._example_key(c), case=c)
        msg = ("vote_totals() needs the reported totals; got neither yea nor nay. Allowed: "
               f"whole numbers. Pass e.g. vote_totals({example['vote_key']!r}, "
               f"yea={int(example['yea'])}, nay={int(example['nay'])}{analysis._case_arg(c)}).")
        raise InvalidArgumentError(msg)
    claimed = {k: _count(v, k) for k, v in (("yea", yea), ("nay", nay)) if v is not None}
    allrc = c.table("rollcalls")
    same = allrc[(allrc["bill"] == rc["bill"]) & (allrc["chamber"] == rc["chamber"])]
    cols = ["vote_key", "date", "roll", "label", "yea", "nay", "present", "not_voting",
            "result", "sources"]
    rows = same[cols].sort_values(["date", "roll"]).copy()
    rows["claimed_vote"] = rows["vote_key"] == vote_key
    rows = rows.reset_index(drop=True)
    if len(claimed) == 2:
        claim = f"The vote on {_vote_name(rc)} was {claimed['yea']}-{claimed['nay']} (Yea-Nay)."
    else:
        ((k, v),) = claimed.items()
        claim = f"The vote on {_vote_name(rc)} had {v} {k.capitalize()}."
    record = {k: int(rc[k]) for k in claimed}
    ok = record == claimed
    verdict: Verdict = "supported" if ok else "contradicted"
    why = (f"The official record of roll {int(rc['roll'])} shows {int(rc['yea'])} Yea, "
           f"{int(rc['nay'])} Nay, {int(rc['present'])} Present ({rc['result']}).")
    if len(rows) > 1:
        other = rows[~rows["claimed_vote"]]
        listed = "; ".join(f"roll {int(r.roll)} on {r.date.date().isoformat()}: "
                           f"{int(r.yea)}-{int(r.nay)}" for r in other.itertuples())
        why += (f" The same bill ({rc['bill']}) had {len(rows)} {rc['chamber']} roll calls; "
                f"{'the other' if len(other) == 1 else 'the others'}: {listed}.")
    return ClaimCheck(claim, verdict, why, rows, _source_ids(rows["sources"]))


def _chamber_signers(c: _case.Case, chamber: str, group: str | None) -> pd.DataFrame:
    """The signers (of ``group``) who sit in ``chamber``, as the signers table has them."""
    signers = analysis._signer_rows(c, group)
    if "chamber" in signers.columns:
        signers = signers[signers["chamber"].astype(str) == chamber]
    return signers.reset_index(drop=True)


def signers_voted(vote_key: str, position: str = "Yea", *, count: int | None = None,
                  group: str | None = None, case: CaseLike = None) -> ClaimCheck:
    """Check how the signers voted on a roll call of a chamber where they sit.

    Without ``count`` the claim is "every signer voted <position>"; with ``count`` it is
    "exactly <count> signers voted <position>". Only the signers who sit in the roll call's
    chamber count. Not Voting is a position of its own: it is not Nay.

    Parameters
    ----------
    vote_key : str
        A roll call of a chamber where the case's signers sit (the default case: the House).
    position : {"Yea", "Nay", "Present", "Not Voting"}, default "Yea"
    count : int, optional
        The number of signers the claim says took that position.
    group : str, optional
        Only the signers of one document (see :func:`policykit.analysis.signer_groups`).
    case : str or Case, optional
        The case (default: the default case).

    Returns
    -------
    ClaimCheck
        Evidence: the signers with their position and ``fits_claim`` (whether they took
        the position). For "every signer", those who did not take it come first; with
        ``count``, those who did.

    Examples
    --------
    >>> from policykit.claims import signers_voted
    >>> signers_voted("h145-117.2022").verdict  # every signer voted for the $40B package
    'supported'
    >>> c = signers_voted("h66-117.2022")
    >>> c.verdict, c.evidence.loc[0, "name"], c.evidence.loc[0, "position"]
    ('contradicted', 'Rashida Tlaib', 'Present')
    >>> signers_voted("h65-117.2022", "Nay", count=13).verdict
    'supported'
    >>> signers_voted("h151-118.2024", "Nay", group="2023-04-20_lee_crane_to_biden",
    ...               case="gop_letters_2023").verdict  # letter B's 16 House signers
    'supported'
    """
    c = _case.resolve(case)
    rc = _signer_key(vote_key, "signers_voted", c)
    position = _position(position)
    if count is not None:
        count = _count(count, "count")
    spec = c.role("signers")
    chamber = str(rc["chamber"])
    member_key = c.role("votes")[chamber]["member_key"]
    table = _chamber_signers(c, chamber, group)
    signers = pd.DataFrame({"_member": table[spec["key"]],
                            "name": table[spec.get("name", "name")],
                            "last_name": table[spec.get("last_name", "last_name")],
                            "state": table["state"], "district": table["district"]})
    votes = c.table("votes", chamber)
    votes = votes.loc[votes["vote_key"] == rc["vote_key"], [member_key, "position", "sources"]]
    rows = signers.merge(votes.rename(columns={member_key: "_member"}), on="_member",
                         how="left", validate="one_to_one")
    rows["position"] = rows["position"].astype("string").fillna("(not in office)")
    rows["fits_claim"] = rows["position"] == position
    first = [count is None, True]  # 'every': misfits first; 'exactly n': those named first
    rows = rows.sort_values(["fits_claim", "last_name"], ascending=first, kind="stable")
    rows = rows.reset_index(drop=True)
    rows = rows[["name", "state", "district", "position", "fits_claim", "sources"]]
    if not rows["district"].notna().any():
        rows = rows.drop(columns="district")
    n_fit = int(rows["fits_claim"].sum())
    tally = rows["position"].value_counts()
    spread = ", ".join(f"{int(k)} {p}" for p, k in tally.items())
    document, signer = _document(c, group), _signer_word(c)
    if count is None:
        claim = f"Every {signer} of {document} voted {position} on {_vote_name(rc)}."
        ok = n_fit == len(rows)
    else:
        claim = (f"Exactly {_plural(count, signer)} of {document} voted {position} on "
                 f"{_vote_name(rc)}.")
        ok = n_fit == count
    verdict: Verdict = "supported" if ok else "contradicted"
    word = analysis._signers_word(c) if len(rows) != 1 else _signer_word(c)
    whose = f"{word}'" if len(rows) != 1 else f"{word}'s"
    why = f"The {len(rows)} {whose} recorded positions: {spread}."
    if len(analysis._signer_chambers(c)) > 1:
        why = f"The {len(rows)} {word} in the {chamber}: recorded positions {spread}."
    missing, short = _missing_signers(c, group, chamber)
    if missing:
        why = why.replace(f"The {len(rows)} ", f"The {len(rows)} named ", 1)
        lists = "; ".join(f"{_document(c, g)}: {k} in the {chamber} not named"
                          for g, k in short)
        why += (f" Not every list of {analysis._signers_word(c)} is complete ({lists}); "
                "their positions are unknown.")
        if count is None and ok:
            verdict = "not settled by the data"
            why += (f" Every named {signer} voted {position}, but the "
                    f"{analysis._signers_word(c)} not named may not have.")
        elif count is not None and n_fit <= count <= n_fit + missing:
            verdict = "not settled by the data"
            why += (f" {_plural(n_fit, f'named {signer}')} voted {position}; with the "
                    f"ones not named, between {n_fit} and {n_fit + missing} may have.")
    note = _claims_config(c).get("not_voting_note")
    if note and position == "Nay" and "Not Voting" in tally.index:
        why += f" {note}"
    return ClaimCheck(claim, verdict, why, rows, _source_ids(rows["sources"]))


def _missing_signers(c: _case.Case, group: str | None,
                     chamber: str) -> tuple[int, list[tuple[str, int]]]:
    """How many signers (of ``group``; None: of every document) sitting in ``chamber`` the
    incomplete lists leave unnamed, and (document, count) for each such list.

    Read from the ``letters`` role: its ``reported_by_chamber`` columns when given, else its
    ``reported`` count. A group that is a boolean column of one document (the signers role's
    ``groups``) counts as that document; other boolean groups are taken as complete.
    """
    documents = c.role("signers").get("groups") or {}
    if group is None:
        wanted = list(documents)
    else:
        wanted = [d for d, col in documents.items() if group in (d, col)]
    if not wanted or not c.has_role("letters"):
        return 0, []
    spec = c.role("letters")
    by_chamber = (spec.get("reported_by_chamber") or {}).get(chamber)
    letters = c.table("letters").set_index(spec["key"])
    short = []
    for doc in wanted:
        counts = _letter_counts(c, doc)
        if counts is None or counts["complete"]:
            continue
        table = _chamber_signers(c, chamber, doc)
        reported = letters.loc[doc, by_chamber] if by_chamber else counts["reported"]
        if pd.isna(reported):
            continue
        if by_chamber:
            gap = int(reported) - len(table)
        else:
            gap = int(reported) - len(analysis._signer_rows(c, doc))
        if gap > 0:
            short.append((doc, gap))
    return sum(k for _, k in short), short


# --- Signers -----------------------------------------------------------------------------------

def _letter_counts(c: _case.Case, group: str | None) -> dict[str, Any] | None:
    """What the case's ``letters`` role records about a group's signer count, if anything."""
    if group is None or not c.has_role("letters"):
        return None
    spec = c.role("letters")
    letters = c.table("letters").set_index(spec["key"])
    if group not in letters.index:
        return None
    row = letters.loc[group]
    return {"reported": row.get(spec.get("reported", "signers_reported")),
            "complete": bool(row.get(spec.get("complete", "list_complete"), True)),
            "sources": row.get("sources")}


def _document_groups(c: _case.Case) -> list[str]:
    """The documents the signers role names in its ``groups`` (e.g. two letters)."""
    return list(c.role("signers").get("groups") or {})


def _all_letter_counts(c: _case.Case) -> list[dict[str, Any]] | None:
    """Every document's recorded signer count (its ``letters`` row), one per signers group.

    None when the case has no ``letters`` role or a group has no row there.
    """
    groups = _document_groups(c)
    if not groups:
        return None
    counts = []
    for group in groups:
        found = _letter_counts(c, group)
        if found is None:
            return None
        counts.append({**found, "group": group,
                       "named": len(analysis._signer_rows(c, group))})
    return counts


def _distinct_bounds(c: _case.Case, named: int) -> tuple[int, int | None, str, str] | None:
    """Bounds on the number of distinct signers of all the case's documents, when a list is
    incomplete: (lowest, highest or None, why lowest, why highest). None: every list is
    complete (or the case records no counts), so the named signers are the count.

    Lowest: the named signers, or the largest count reported for one document if larger.
    Highest: the sum of the reported counts, less one for each extra document a named signer
    is on (those signers are counted more than once); None if an incomplete list has no
    reported count.
    """
    counts = _all_letter_counts(c)
    if counts is None or all(k["complete"] for k in counts):
        return None
    reported: list[int | None] = []
    for k in counts:
        r = k["reported"]
        reported.append(int(r) if pd.notna(r) else (k["named"] if k["complete"] else None))
    known = [r for r in reported if r is not None]
    lowest, why_low = named, f"{named} are named"
    if known and max(known) > named:
        i = reported.index(max(known))
        lowest = max(known)
        why_low = (f"{named} are named, and one {c.label('document_kind', 'document')} "
                   f"alone, {_document(c, counts[i]['group'])}, is reported to have {lowest}")
    if any(r is None for r in reported):
        return lowest, None, why_low, ""
    repeats = sum(k["named"] for k in counts) - named
    highest = sum(known) - repeats
    why_high = (f"the reported counts {' + '.join(str(r) for r in known)}, less the "
                f"{repeats} named on more than one")
    return lowest, highest, why_low, why_high


def signer_count(n: int, *, group: str | None = None, case: CaseLike = None) -> ClaimCheck:
    """Check "<n> members signed the document" against the list of signers.

    When the case records that a document's list of signers is incomplete (its ``letters``
    role), a count larger than the names known is *not settled* unless it is the count the
    case accepts from the reports. Without ``group``, on a case whose signers signed several
    documents and one list is incomplete, the number of distinct signers is bounded: at least
    the named signers (or the largest reported count of one document, if larger), at most the
    sum of the reported counts less the repeats among the named; a count outside the bounds
    is contradicted, one inside them is not settled.

    Parameters
    ----------
    n : int
        The claimed number of signers.
    group : str, optional
        One document's signers (see :func:`policykit.analysis.signer_groups`).
    case : str or Case, optional
        The case (default: the default case).

    Examples
    --------
    >>> from policykit.claims import signer_count
    >>> signer_count(40).verdict
    'contradicted'
    """
    c = _case.resolve(case)
    n = _count(n, "n")
    spec = c.role("signers")
    signers = analysis._signer_rows(c, group)
    cols = [spec.get("name", "name"), "party", "chamber", "state", "district", "corroboration",
            "sources"]
    rows = signers[[col for col in cols if col in signers.columns]].copy()
    if not (len(analysis._signer_chambers(c)) > 1):
        rows = rows.drop(columns=[col for col in ("chamber",) if col in rows.columns])
    rows = rows.rename(columns={spec.get("name", "name"): "name"})
    rows["party"] = rows["party"].astype(str)
    parties = ", ".join(_party_count(int(k), p) for p, k in
                        rows["party"].value_counts().items())
    document = _document(c, group)
    named = len(rows)
    counts = _letter_counts(c, group)
    incomplete = counts is not None and not counts["complete"]
    several = group is None and len(_document_groups(c)) > 1
    why = (f"{named} of the signers of {document} are named ({parties})" if incomplete
           else f"{_capital(document)} carr{'y' if several else 'ies'} {_plural(named, 'name')} "
                f"({parties})")
    if "corroboration" in rows.columns:
        rows["corroboration"] = rows["corroboration"].astype(str)
        single = int((rows["corroboration"] == "single").sum())
        why += (f"; {single} of them rest on a single published list (corroboration = "
                "'single').")
    else:
        why += "."
    verdict: Verdict = "supported" if n == named else "contradicted"
    sources = [*rows["sources"], counts["sources"] if counts else None]
    if incomplete:
        reported = counts["reported"]
        if n < named:
            verdict = "contradicted"
            why += f" At least {named} are named, so fewer than {named} cannot be right."
        elif pd.notna(reported) and n == int(reported):
            verdict = "supported"
            why += (f" The list is incomplete: the count accepted from the reports is "
                    f"{int(reported)}, of whom {named} are named; the others are unknown.")
        else:
            verdict = "not settled by the data"
            why += (f" The list is incomplete ({named} named; the count accepted from the "
                    f"reports is {reported}), so the names cannot settle a count of {n}.")
    bounds = _distinct_bounds(c, named) if group is None else None
    if bounds is not None:
        lowest, highest, why_low, why_high = bounds
        short = [k for k in _all_letter_counts(c) or [] if not k["complete"]]
        lists = "; ".join(
            f"{_document(c, k['group'])}: "
            + (f"{int(k['reported'])} reported, " if pd.notna(k["reported"]) else "")
            + f"{k['named']} named" for k in short)
        sources += [k["sources"] for k in _all_letter_counts(c) or []]
        span = (f"at least {lowest} ({why_low})" + (
            f", at most {highest} ({why_high})" if highest is not None
            else ", with no upper bound (an incomplete list has no reported count)"))
        why += (f" Not every list of signers is complete ({lists}), so the number of "
                f"distinct signers is not known: {span}.")
        if n < lowest:
            verdict = "contradicted"
            why += f" So fewer than {lowest} cannot be right."
        elif highest is not None and n > highest:
            verdict = "contradicted"
            why += f" So more than {highest} cannot be right."
        elif highest is not None and lowest == highest == n:
            verdict = "supported"
        else:
            verdict = "not settled by the data"
            why += f" A count of {n} is within these bounds."
    who = _plural(n, "member").replace("member", "member of Congress", 1) if n == 1 \
        else f"{n} members of Congress"
    return ClaimCheck(f"{who} signed {document}.", verdict, why,
                      rows.reset_index(drop=True), _source_ids(sources))


def _congress(c: _case.Case) -> str:
    congresses = sorted(set(c.table("rollcalls")["congress"].dropna().astype(int)))
    return " and ".join(_ordinal(x) for x in congresses)


def signer_state(name: str, state: str, *, case: CaseLike = None) -> ClaimCheck:
    """Check "<signer> represents <state>".

    Parameters
    ----------
    name : str
        A signer's surname (``'Omar'``), full name as published or bioguide id.
    state : str
        A two-letter code (``'MN'``) or a state's name (``'Minnesota'``).
    case : str or Case, optional
        The case (default: the default case).

    Examples
    --------
    >>> from policykit.claims import signer_state
    >>> c = signer_state("Omar", "Michigan")
    >>> c.verdict, c.evidence.loc[0, "state"]
    ('contradicted', 'MN')
    """
    c = _case.resolve(case)
    row = _signer(name, c)
    code = _state(state, c)
    spec = c.role("signers")
    full = row[spec.get("name", "name")]
    senator = pd.isna(row["district"])
    rows = pd.DataFrame([{"name": full, "state": row["state"],
                          "district": pd.NA if senator else int(row["district"]),
                          "sources": row["sources"]}])
    if senator:
        rows = rows.drop(columns="district")
    actual = str(row["state"])
    claim = f"{full} represents {_STATES[code]}."
    verdict: Verdict = "supported" if actual == code else "contradicted"
    if senator:
        why = (f"{full} represents {_STATES.get(actual, actual)} ({actual}) in the Senate in "
               f"the {_congress(c)} Congress.")
    else:
        why = (f"{full} represents {_STATES.get(actual, actual)}'s district "
               f"{int(row['district'])} ({actual}-{int(row['district']):02d}) in the "
               f"{_congress(c)} Congress.")
    return ClaimCheck(claim, verdict, why, rows, _source_ids(rows["sources"]))


# --- Dates -------------------------------------------------------------------------------------

def event_date(event: str, date: str | _dt.date, *, case: CaseLike = None) -> ClaimCheck:
    """Check the date of an event of the case's story ("withdrawn on October 15").

    Parameters
    ----------
    event : str
        An ``event_key`` of the case's events (the default case: a key of :data:`EVENTS`,
        such as ``'release'``, ``'clarification'``, ``'withdrawal'``) or an ``event_id``.
    date : str or datetime.date
        The claimed date, as an ISO string (``'2022-10-15'``) or a date.
    case : str or Case, optional
        The case (default: the default case).

    Returns
    -------
    ClaimCheck
        Evidence: the event's row (when it happened and when it became public); for events
        the case ties to statements (its ``claims.statement_events``; the default case: the
        clarification and the withdrawal) also those dated statements.

    Examples
    --------
    >>> from policykit.claims import event_date
    >>> c = event_date("withdrawal", "2022-10-15")  # as one outlet dated it
    >>> c.verdict
    'contradicted'
    >>> event_date("withdrawal", "2022-10-25").verdict
    'supported'
    """
    c = _case.resolve(case)
    keys = _event_keys(c)
    events = c.table("events")
    ids = events["event_id"].tolist()
    if event in keys:
        event_id = keys[event]
    elif event in ids:
        event_id = str(event)
    else:
        msg = invalid_choice("event", event, list(keys),
                             f"Or pass an event_id from {analysis._role_loader(c, 'events')}.")
        raise InvalidArgumentError(msg)
    claimed = _date(date, c)
    ev = events[events["event_id"] == event_id].iloc[0]
    rows = pd.DataFrame([{"kind": "event", "id": event_id, "date": ev["date"],
                          "date_public": ev.get("date_public", ev["date"]), "what": ev["event"],
                          "sources": ev["sources"]}])
    label = next((k for k, v in keys.items() if v == event_id), None)
    config = _claims_config(c)
    statement = (config.get("statement_events") or {}).get(label or "")
    if statement is not None and c.has_role("statements"):
        st = c.table("statements")
        st = st[st["statement"] == statement]
        rows = pd.concat([rows, pd.DataFrame({
            "kind": "statement", "id": st[c.role("statements")["key"]], "date": st["date"],
            "date_public": st["date"], "what": st["speaker"] + ": " + st["quote"],
            "sources": st["sources"]})], ignore_index=True)
    actual = pd.Timestamp(ev["date"])
    phrases = config.get("event_phrases") or {}
    when = claimed.date().isoformat()
    claim = (f"{phrases[label]} on {when}." if label in phrases
             else f"Event {event_id} ({ev['event']}) happened on {when}.")
    verdict: Verdict = "supported" if actual == claimed else "contradicted"
    why = f"The record dates it {actual.date().isoformat()}: {ev['event']}."
    public = ev.get("date_public", ev["date"])
    if pd.notna(public) and public != ev["date"]:
        why += f" It became public on {pd.Timestamp(public).date().isoformat()}."
    if bool(ev.get("single_source", False)):
        why += " This event rests on a single source: treat the date as provisional."
    return ClaimCheck(claim, verdict, why, rows, _source_ids(rows["sources"]))


# --- The document's wording and claims the data cannot settle ----------------------------------

def letter_says(phrase: str, *, group: str | None = None, case: CaseLike = None) -> ClaimCheck:
    """Check "the letter says <phrase>" against the document's verified passages.

    The full text of the document could not be obtained faithfully, so a phrase that is found
    is supported, and a phrase that is not found is *not settled by the data*, never
    contradicted: it may stand in a passage nobody has verified.

    Parameters
    ----------
    phrase : str
        The wording the claim attributes to the document.
    group : str, optional
        One document of a case with several (its id in the signers role's ``groups``, e.g. a
        letter id), when the documents role names the column that tells them apart.
    case : str or Case, optional
        The case (default: the default case).

    Examples
    --------
    >>> from policykit.claims import letter_says
    >>> letter_says("direct talks with Russia").verdict
    'supported'
    >>> letter_says("unconditional surrender").verdict
    'not settled by the data'
    """
    c = _case.resolve(case)
    if not isinstance(phrase, str) or not phrase.strip():
        example = analysis._examples(c).get("phrase", "war")
        msg = (f"letter_says() needs a non-empty phrase; got {phrase!r}. Allowed: any text "
               f"to look for. Try e.g. letter_says({example!r}{analysis._case_arg(c)}).")
        raise InvalidArgumentError(msg)
    spec = c.role("documents")
    passages = c.table("documents")
    which = spec.get("document")
    if group is not None:
        allowed = sorted(set(passages[which].astype(str))) if which else []
        _validate.choice("document", group, allowed,
                         "Pass one of them, or leave group out to search every document.")
        passages = passages[passages[which].astype(str) == group]
    hit = passages["text"].str.contains(phrase.strip(), case=False, regex=False)
    hits = passages[hit]
    cols = [spec["key"], which, "paragraph", "kind", "text", "truncated", "sources"]
    rows = hits[[col for col in cols if col and col in hits.columns]].copy()
    if "kind" in rows.columns:
        rows["kind"] = rows["kind"].astype(str)
    document = _document(c, group)
    several = group is None and bool(which) and c.table("documents")[which].nunique() > 1
    claim = f"{_capital(document)} {'say' if several else 'says'} {phrase.strip()!r}."
    total = len(passages)
    if len(rows):
        verdict: Verdict = "supported"
        why = (f"The phrase appears in {_plural(len(rows), 'verified passage')} of "
               f"{document} (out of {total}).")
    else:
        verdict = "not settled by the data"
        whose = (f"{analysis._whose(document)} {total} verified passages" if group is None
                 else f"the {total} verified passages of {document}")
        why = (f"None of {whose} contains it, but the text is "
               "incomplete: the phrase may stand in a passage that has not been verified.")
    return ClaimCheck(claim, verdict, why, rows.reset_index(drop=True),
                      _source_ids(rows["sources"]))


def not_settled(claim: str, reason: str, *, evidence: pd.DataFrame | None = None) -> ClaimCheck:
    """Record that the data cannot settle a claim, and why.

    Use it for claims about motives, private conversations, what someone "really" meant, or
    anything the tables do not record. Related rows can be kept as context; their sources are
    collected from a ``sources`` column if there is one.

    Parameters
    ----------
    claim : str
        The claim, in words.
    reason : str
        Why the data cannot settle it, and what evidence would.
    evidence : pandas.DataFrame, optional
        Related rows (context, not proof).

    Examples
    --------
    >>> import policykit
    >>> from policykit.claims import not_settled
    >>> st = policykit.load_statements()
    >>> c = not_settled("Staff released the letter without the chair's approval.",
    ...                 "The tables hold what the caucus said, not who approved the release.",
    ...                 evidence=st[st["quote"].str.contains("without vetting")])
    >>> c.verdict, c.sources[0]
    ('not settled by the data', 'jpost-3506b7')
    """
    for what, value in (("claim", claim), ("reason", reason)):
        if not isinstance(value, str) or not value.strip():
            msg = (f"not_settled() needs a non-empty {what}; got {value!r}. Allowed: a "
                   f"sentence of text. Write the {what} in words, e.g. "
                   "not_settled('X wanted Y.', 'Motives are not recorded in the data.').")
            raise InvalidArgumentError(msg)
    if evidence is None:
        rows = pd.DataFrame()
    elif isinstance(evidence, pd.DataFrame):
        rows = evidence.reset_index(drop=True)
    else:
        c = _case.resolve(None)
        role = "statements" if c.has_role("statements") else "sources"
        msg = (f"evidence must be a pandas DataFrame or None; got {type(evidence).__name__!r}. "
               "Allowed: rows from a policykit table. Pass e.g. "
               f"evidence={analysis._role_loader(c, role)}.head(2), or leave it out.")
        raise InvalidArgumentError(msg)
    sources = _source_ids(rows["sources"]) if "sources" in rows.columns else ()
    return ClaimCheck(claim.strip(), "not settled by the data", reason.strip(), rows, sources)


# --- A statement's claim about a group's votes on every package ---------------------------------

def _package_spec(c: _case.Case) -> dict[str, Any]:
    """The case's ``claims.every_package`` settings (a generic default if it has none)."""
    spec = dict(_claims_config(c).get("every_package") or {})
    spec.setdefault("groups", {"signers": {"label": f"{analysis._whose(analysis._document(c))} "
                                                    f"{analysis._signers_word(c)}"}})
    spec.setdefault("position", "Yea")
    spec.setdefault("default_group", next(iter(spec["groups"])))
    spec.setdefault("packages_hint", "the case's aid packages")
    return spec


def _package_groups(c: _case.Case) -> dict[str, str]:
    return {name: g["label"] for name, g in _package_spec(c)["groups"].items()}


#: Groups :func:`every_package` can check on the default case, with what each one means
#: (the signers' groups of :func:`policykit.analysis.signer_groups` work too).
PACKAGE_GROUPS: Mapping[str, str] = _DefaultCaseTable("PACKAGE_GROUPS", _package_groups)


def _package_keys(vote_keys: Iterable[str] | None, c: _case.Case,
                  spec: dict[str, Any]) -> list[str]:
    chambers = analysis._signer_chambers(c)
    packages = list(_claims_config(c).get("packages") or [])
    rc = c.table("rollcalls").set_index("vote_key")
    tiers = sorted(set(rc.loc[packages, "tier"].astype(str))) if packages else []
    where = " or ".join(chambers)
    if vote_keys is None:
        if not packages:
            msg = (f"Case {c.id!r} names no aid packages (the 'packages' of its claims "
                   "settings). Allowed: a list of roll-call keys. Pass vote_keys=[...].")
            raise InvalidArgumentError(msg)
        return packages
    leave_out = f"Leave vote_keys out for {spec['packages_hint']}."
    if isinstance(vote_keys, str):
        example = analysis._example_key(c, chambers[0])
        msg = (f"vote_keys must be a list of {where} roll-call keys; got the string "
               f"{vote_keys!r}. Allowed: a list such as [{example!r}]. Wrap one key in a "
               f"list, or l{leave_out[1:]}")
        raise InvalidArgumentError(msg)
    keys = list(vote_keys)
    if not keys:
        chamber = f"{chambers[0]!r}, " if len(chambers) == 1 else ""
        msg = (f"vote_keys is empty. Allowed: one or more {where} roll-call keys, see "
               f"policykit.analysis.vote_keys({chamber}tiers={tiers!r}"
               f"{analysis._case_arg(c)}). {leave_out}")
        raise InvalidArgumentError(msg)
    for k in keys:
        _signer_key(k, "every_package", c)
    return keys


def _package_source(c: _case.Case, spec: dict[str, Any]
                    ) -> tuple[str, str, pd.Timestamp] | None:
    """What the claim quotes: (what to call it, its sources, its date); None if nothing."""
    source = spec.get("source")
    if not source:
        return None
    role = source.get("role", "statements")
    table = c.table(role)
    column = "quote" if "quote" in table.columns else "text"
    row = table[table[column].str.startswith(source["starts"])].iloc[0]
    if "date" in table.columns:
        date = pd.Timestamp(row["date"])
        cited = f"{row['statement']} statement" if "statement" in table.columns else role
    else:
        date = pd.Timestamp(source["date"])
        cited = source.get("cited_as", analysis._document(c))
    return cited, str(row["sources"]), date


def every_package(group: str | None = None, *, vote_keys: Iterable[str] | None = None,
                  case: CaseLike = None) -> ClaimCheck:
    """Check a claim that a group voted one way on "every package" against the roll calls.

    In the default case, the caucus's withdrawal statement of 25 October 2022 says that
    "Democrats, who have strongly and unanimously supported and voted for every package of
    military, strategic, and economic assistance to the Ukrainian people" were made to look
    aligned with Republicans who would end aid. The roll calls can check the "unanimously ...
    voted for" part for a group of members; "strongly" and "supported" are not recorded in
    votes. A case states its own claim, the position it implies (Yea, or Nay for a pledge to
    oppose aid), its groups and its packages in the ``claims`` section of its property; a
    group there may carry its own ``claim``, ``source``, ``position`` and ``note`` (e.g. the
    words of the letter its members signed).

    Parameters
    ----------
    group : str, optional
        Whom the claim is about. The default case: ``'signers'`` (the letter's 30 signers,
        the default) or ``'democrats'`` (every Democrat recorded on each roll call); the
        statement does not say, and the verdict can differ. The signers' groups of
        :func:`policykit.analysis.signer_groups` (e.g. one letter's signers) work too.
    vote_keys : list of str, optional
        The roll calls that count as "packages". Default: the case's packages (the default
        case: the core aid roll calls, ``policykit.analysis.vote_keys('House',
        tiers=['core'])``, held on or before the statement's date). Which votes count as a
        package of assistance is a judgement: the March 2022 omnibus was voted in two parts,
        each covering only what its question text names.
    case : str or Case, optional
        The case (default: the default case).

    Returns
    -------
    ClaimCheck
        Contradicted when a member of the group voted otherwise (Nay or Present on a claim
        of Yea votes) on one of the roll calls; absences (Not Voting) are listed but do not
        decide. Evidence: one row per roll call, with the Clerk's question text (what the vote
        covered), the group's positions, ``not_yea`` (who voted otherwise; ``not_nay`` for a
        claim of Nay votes) and ``fits_claim``.

    Examples
    --------
    >>> from policykit.claims import every_package
    >>> c = every_package("signers")
    >>> c.verdict
    'contradicted'
    >>> c.evidence.loc[~c.evidence["fits_claim"], "roll"].tolist()  # the March omnibus parts
    [65, 66]
    >>> every_package("democrats", vote_keys=["h145-117.2022", "h476-117.2022"]).verdict
    'supported'
    """
    c = _case.resolve(case)
    spec = _package_spec(c)
    groups = spec["groups"]
    signer_groups = analysis._groups(c)
    if group is None:
        group = spec["default_group"]
    if group not in groups and group not in signer_groups:
        msg = invalid_choice("group", group, [*groups, *signer_groups],
                             spec.get("group_hint", "Pick one of them."))
        raise InvalidArgumentError(msg)
    # A group may state its own claim (its document's words, source and position).
    spec = {**spec, **{k: v for k, v in groups.get(group, {}).items()
                       if k in ("claim", "source", "position", "note")}}
    keys = _package_keys(vote_keys, c, spec)
    cited = _package_source(c, spec)
    claimed = spec["position"]
    other = [p for p in ("Yea", "Nay", "Present") if p != claimed]
    if group in groups:
        chosen = groups[group]
        who = chosen["label"]
        party = chosen.get("party")
        ids = None if party else analysis._signer_ids(c, chosen.get("signers"))
    else:
        who = f"the {analysis._signers_word(c)} of {_document(c, group)}"
        party, ids = None, analysis._signer_ids(c, group)
    rc = c.table("rollcalls").set_index("vote_key")
    chambers = sorted(set(rc.loc[keys, "chamber"].astype(str)))
    rows = []
    for k in keys:
        mp = _chamber_rows(k, c)
        mp = mp[mp["party"].astype(str) == party] if party else mp[mp["member"].isin(ids)]
        pos = mp["position"].astype(str)
        misfit = mp.loc[pos.isin(other)]
        absent = mp.loc[pos == "Not Voting", "name"].tolist()
        r = rc.loc[k]
        rows.append({
            "vote_key": k, "date": r["date"], "chamber": r["chamber"], "roll": int(r["roll"]),
            "bill": r["bill"], "question": r["question"], "members": len(mp),
            "yea": int((pos == "Yea").sum()), "nay": int((pos == "Nay").sum()),
            "present": int((pos == "Present").sum()), "not_voting": len(absent),
            f"not_{claimed.lower()}": "; ".join(
                f"{n} ({p})" for n, p in zip(misfit["name"], misfit["position"].astype(str),
                                             strict=True)),
            "not_voting_names": "; ".join(absent),
            "fits_claim": misfit.empty, "sources": r["sources"],
        })
    rows_df = pd.DataFrame(rows).sort_values(["fits_claim", "date", "roll"], kind="stable")
    rows_df = rows_df.reset_index(drop=True)
    if len(chambers) == 1:
        rows_df = rows_df.drop(columns="chamber")
        roll_calls = _plural(len(keys), f"{chambers[0]} roll call")
    else:
        roll_calls = _plural(len(keys), "roll call")
    said = spec.get("claim", f"{_capital(who)} voted {claimed} on every package")
    if cited is not None:
        said += f" ({cited[0]}, {cited[2].date().isoformat()})"
    claim = f"{said}, read as: {who} voted {claimed} on each of {roll_calls}."
    misfits = rows_df[~rows_df["fits_claim"]]
    verdict: Verdict = "supported" if misfits.empty else "contradicted"
    parts = []
    for r in misfits.to_dict("records"):
        roll = f"{r['chamber']} roll" if len(chambers) > 1 else "roll"
        counts = ", ".join(f"{r[p.lower()]} {p}" for p in other)
        parts.append(f"{roll} {r['roll']} ({r['date'].date().isoformat()}, question "
                     f"{r['question']!r}): {counts}")
    if misfits.empty:
        where = (f"On each of the {len(keys)} roll calls" if len(keys) != 1
                 else "On the one roll call")
        why = f"{where}, no member of {who} voted {' or '.join(other)}."
    else:
        why = f"Among {who}: " + "; ".join(parts) + "."
    if spec.get("note"):
        why += " " + spec["note"]
    why += " Absences (Not Voting) are listed, not counted against the claim."
    sources = _source_ids([*rows_df["sources"], cited[1] if cited else None])
    return ClaimCheck(claim, verdict, why, rows_df, sources)


# --- Reported aid amounts ----------------------------------------------------------------------

#: How far a reported amount may be from the recorded one and still agree (billions of
#: dollars): sources disagree in the decimals ($40B vs $39.8B, $45B vs $44.9B).
AID_TOLERANCE = 0.5


def aid_amount(vote_key: str, usd_billion: float, *, case: CaseLike = None) -> ClaimCheck:
    """Check "roll call <vote_key> passed $<usd_billion> billion in aid".

    A figure is recorded only for a vote on a whole measure. For a vote on one part of a
    divided question (the House's two votes on the March 2022 omnibus) no figure is recorded,
    so the claim is *not settled by the data*: the explanation says what the part covered,
    from the question text, and where the enacted law's figure is.

    Parameters
    ----------
    vote_key : str
        A roll call from ``policykit.load_rollcalls()``.
    usd_billion : float
        The reported amount in billions of US dollars (e.g. ``13.6``).
    case : str or Case, optional
        The case (default: the default case).

    Examples
    --------
    >>> from policykit.claims import aid_amount
    >>> aid_amount("h145-117.2022", 40).verdict  # reported as about $40 billion
    'supported'
    >>> aid_amount("h65-117.2022", 13.6).verdict  # one part of a divided question
    'not settled by the data'
    """
    c = _case.resolve(case)
    rc = analysis.rollcall(vote_key, case=c)
    if isinstance(usd_billion, bool) or not isinstance(usd_billion, int | float) \
            or not usd_billion >= 0:
        msg = (f"usd_billion must be an amount in billions of dollars, 0 or more; got "
               f"{usd_billion!r}. Allowed: a number such as 13.6 or 40. Pass e.g. "
               f"aid_amount({vote_key!r}, 13.6{analysis._case_arg(c)}).")
        raise InvalidArgumentError(msg)
    allrc = c.table("rollcalls")
    same = allrc[allrc["bill"] == rc["bill"]]
    cols = ["vote_key", "date", "chamber", "roll", "question", "divided_question",
            "aid_usd_billion", "aid_note", "sources"]
    rows = same[[col for col in cols if col in same.columns]]
    rows = rows.sort_values(["date", "chamber", "roll"]).copy()
    rows["claimed_vote"] = rows["vote_key"] == vote_key
    rows = rows.sort_values("claimed_vote", ascending=False, kind="stable")
    rows = rows.reset_index(drop=True)
    aid = c.label("aid", "aid")
    claim = f"The vote on {_vote_name(rc)} passed ${usd_billion:g} billion in {aid}."
    recorded = rc.get("aid_usd_billion", pd.NA)
    note = rc.get("aid_note", pd.NA)
    divided = rc.get("divided_question", pd.NA)
    if pd.notna(recorded):
        ok = abs(float(recorded) - float(usd_billion)) <= AID_TOLERANCE
        verdict: Verdict = "supported" if ok else "contradicted"
        why = (f"The measure is reported as carrying ${float(recorded):g} billion in {aid} "
               f"({note}); amounts within ${AID_TOLERANCE:g} billion count as "
               "the same, because sources disagree in the decimals.")
    else:
        verdict = "not settled by the data"
        if pd.notna(divided):
            why = f"This vote was one part of a divided question: {divided} {note}"
        else:
            why = (f"No {aid} figure is recorded for this vote (it is not a vote on a "
                   "whole aid measure, e.g. a cloture vote or a resolution).")
            if pd.notna(note):
                why += f" {note}"
    return ClaimCheck(claim, verdict, why, rows, _source_ids(rows["sources"]))
