"""Check claims about the letter, its signers and the votes, and keep the evidence.

Every check returns a :class:`ClaimCheck`: the claim in words, a verdict, a short explanation,
the rows of policykit's data that settle it, and the ids of the sources those rows rest on
(``policykit.load_sources()`` resolves them to URLs). In Jupyter a check renders as a card with
a verdict badge and the evidence table; ``print()`` gives the same as plain text.

There are three verdicts, listed in :data:`VERDICTS`:

- ``"supported"``: the data agree with the claim;
- ``"contradicted"``: the data disagree with it;
- ``"not settled by the data"``: the data cannot decide it, for example a claim about motives,
  or about wording that is not among the letter's verified passages (the text is incomplete).

The checks are pure functions: they read the curated tables and nothing else, never draw,
never display and never touch the network.

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
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Literal

import pandas as pd

from . import _validate, analysis
from .datasets import load
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

class _EventKeys(Mapping[str, str]):
    """``event_key`` -> ``event_id``, read from the ``events`` table's ``event_key`` column."""

    def _table(self) -> dict[str, str]:
        ev = load("events")
        ev = ev[ev["event_key"].notna()]
        return dict(zip(ev["event_key"], ev["event_id"], strict=True))

    def __getitem__(self, key: str) -> str:
        return self._table()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._table())

    def __len__(self) -> int:
        return len(self._table())

    def __repr__(self) -> str:
        return f"EVENTS({self._table()!r})"


#: Events a claim can date, by a short key, with the ``events`` row each one stands for
#: (read from the data: ``policykit.load_events()["event_key"]``).
EVENTS: Mapping[str, str] = _EventKeys()

_EVENT_PHRASES = {
    "invasion": "Russia launched its full-scale invasion of Ukraine",
    "jacobs_signed": "Rep. Sara Jacobs signed the letter",
    "planned_release": "The letter was originally planned to be released",
    "annexation": "Putin signed the annexation of four Ukrainian regions",
    "armageddon_remark": "Biden made his 'Armageddon' remark",
    "blank_check_remark": "McCarthy's 'blank check' interview was published",
    "release": "The letter was sent and made public",
    "white_house_response": "The White House responded to the letter",
    "clarification": "Jayapal issued the clarifying statement",
    "withdrawal": "The caucus withdrew the letter",
    "midterms": "The midterm elections took place",
}

_STATEMENT_EVENTS = {"clarification": "clarification", "withdrawal": "withdrawal"}

_PARTIES = {"D": "Democrats", "R": "Republicans", "I": "Independents"}
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


def _state(value: object) -> str:
    return _validate.choice(
        "state", value, list(_STATES),
        "See policykit.load_signatories()['state'] for the signers' states.", fold=True,
        aliases={name.casefold(): code for code, name in _STATES.items()},
        shown="a two-letter code such as 'MN' or a state's name such as 'Minnesota'",
        suggest=list(_STATES) + list(_STATES.values()))


def _date(value: object, what: str = "date") -> pd.Timestamp:
    return _validate.as_date(value, what, "Pass the date the claim gives, e.g. '2022-10-25'.")


def _count(value: object, what: str) -> int:
    return _validate.whole_number(value, what)


def _house_key(vote_key: str, func: str) -> pd.Series:
    rc = analysis.rollcall(vote_key)
    if rc["chamber"] != "House":
        msg = (f"{func}() is about the letter's signers, who sit in the House; {vote_key!r} is "
               "a Senate vote. Allowed: House keys, which start with 'h'. See "
               "policykit.analysis.vote_keys('House').")
        raise InvalidArgumentError(msg)
    return rc


def _vote_name(rc: pd.Series) -> str:
    return (f"{rc['display_title']} ({rc['chamber']} roll {int(rc['roll'])}, "
            f"{rc['date'].date().isoformat()})")


def _signer(name: object) -> pd.Series:
    signers = load("signatories")
    if isinstance(name, str):
        key = name.strip().casefold()
        for col in ("bioguide_id", "name", "last_name"):
            hit = signers[signers[col].str.casefold() == key]
            if len(hit) == 1:
                return hit.iloc[0]
    allowed = signers["last_name"].tolist() + signers["name"].tolist()
    shown = ", ".join(repr(n) for n in signers["last_name"].tolist()[:6])
    hint = closest(name, allowed)
    if isinstance(name, str) and not hint:
        surnames = load("members")["name"].str.split(",").str[0].str.casefold()
        if name.strip().casefold() in set(surnames):
            hint = f" {name.strip()!r} is a House member's surname, but not a signer's."
    msg = (f"Unknown signer {name!r}. Allowed: one of the letter's 30 signers, by surname "
           f"({shown}, ...), full name or bioguide id.{hint} "
           "See policykit.load_signatories()['name'].")
    raise InvalidArgumentError(msg)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


# --- Votes -------------------------------------------------------------------------------------

def only_party_voted(vote_key: str, position: str, party: str) -> ClaimCheck:
    """Check "only <party> voted <position>" on one roll call (House or Senate).

    Parameters
    ----------
    vote_key : str
        A key from ``policykit.load_rollcalls()``, e.g. ``'h141-117.2022'``.
    position : {"Yea", "Nay", "Present", "Not Voting"}
        The position the claim is about ("voted against" is ``'Nay'``).
    party : str
        ``'D'``, ``'R'`` or ``'I'`` (party names such as ``'Republicans'`` work too).

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
    rc = analysis.rollcall(vote_key)
    position = _position(position)
    party = _party(party)
    if rc["chamber"] == "House":
        mp = analysis.member_positions(vote_key)
        rows = mp.loc[mp["position"] == position,
                      ["bioguide_id", "name", "party", "state", "district", "position"]]
        hv = load("house_votes")
        hv = hv.loc[hv["vote_key"] == vote_key, ["bioguide_id", "sources"]]
        rows = rows.merge(hv, on="bioguide_id", how="left").drop(columns="bioguide_id")
    else:
        sv = load("senate_votes")
        sv = sv[(sv["vote_key"] == vote_key) & (sv["position"] == position)]
        rows = pd.DataFrame({"name": sv["last_name"] + ", " + sv["first_name"],
                             "party": sv["party"], "state": sv["state"],
                             "position": sv["position"], "sources": sv["sources"]})
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
        why = f"All {_plural(n, 'member')} recorded as {position} are {_PARTIES[party]}."
    else:
        verdict = "contradicted"
        parts = ", ".join(f"{int(k)} {_PARTIES[p]}" for p, k in others.items() if k)
        why = (f"{_plural(n, 'member')} voted {position}: not only {_PARTIES[party]} but also "
               f"{parts}.")
    return ClaimCheck(claim, verdict, why, rows, _source_ids(rows["sources"]))


def vote_totals(vote_key: str, *, yea: int | None = None, nay: int | None = None) -> ClaimCheck:
    """Check a reported tally ("passed 361-69") against the official record.

    The evidence lists every roll call of the same chamber on the same bill, so that a split
    vote (the March 2022 omnibus had two House votes) or a later vote is in plain sight.

    Parameters
    ----------
    vote_key : str
        The roll call the claim is about.
    yea, nay : int, optional
        The reported totals; give at least one.

    Examples
    --------
    >>> from policykit.claims import vote_totals
    >>> c = vote_totals("h65-117.2022", yea=361, nay=69)
    >>> c.verdict, len(c.evidence)  # the evidence also shows roll 66 on the same bill
    ('supported', 2)
    >>> vote_totals("h66-117.2022", yea=361, nay=69).verdict
    'contradicted'
    """
    rc = analysis.rollcall(vote_key)
    if yea is None and nay is None:
        msg = ("vote_totals() needs the reported totals; got neither yea nor nay. Allowed: "
               "whole numbers. Pass e.g. vote_totals('h65-117.2022', yea=361, nay=69).")
        raise InvalidArgumentError(msg)
    claimed = {k: _count(v, k) for k, v in (("yea", yea), ("nay", nay)) if v is not None}
    allrc = load("rollcalls")
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


def signers_voted(vote_key: str, position: str = "Yea", *,
                  count: int | None = None) -> ClaimCheck:
    """Check how the letter's signers voted on a House roll call.

    Without ``count`` the claim is "every signer voted <position>"; with ``count`` it is
    "exactly <count> signers voted <position>".

    Parameters
    ----------
    vote_key : str
        A House roll call (signers sit in the House).
    position : {"Yea", "Nay", "Present", "Not Voting"}, default "Yea"
    count : int, optional
        The number of signers the claim says took that position.

    Returns
    -------
    ClaimCheck
        Evidence: the 30 signers with their position and ``fits_claim`` (whether they took
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
    """
    rc = _house_key(vote_key, "signers_voted")
    position = _position(position)
    if count is not None:
        count = _count(count, "count")
    signers = load("signatories")[["bioguide_id", "name", "last_name", "state", "district"]]
    votes = load("house_votes")
    votes = votes.loc[votes["vote_key"] == vote_key, ["bioguide_id", "position", "sources"]]
    rows = signers.merge(votes, on="bioguide_id", how="left", validate="one_to_one")
    rows["position"] = rows["position"].astype("string").fillna("(not in office)")
    rows["fits_claim"] = rows["position"] == position
    first = [count is None, True]  # 'every': misfits first; 'exactly n': those named first
    rows = rows.sort_values(["fits_claim", "last_name"], ascending=first, kind="stable")
    rows = rows.reset_index(drop=True)
    rows = rows[["name", "state", "district", "position", "fits_claim", "sources"]]
    n_fit = int(rows["fits_claim"].sum())
    tally = rows["position"].value_counts()
    spread = ", ".join(f"{int(k)} {p}" for p, k in tally.items())
    if count is None:
        claim = f"Every signer of the letter voted {position} on {_vote_name(rc)}."
        ok = n_fit == len(rows)
    else:
        claim = (f"Exactly {_plural(count, 'signer')} of the letter voted {position} on "
                 f"{_vote_name(rc)}.")
        ok = n_fit == count
    verdict: Verdict = "supported" if ok else "contradicted"
    why = f"The {len(rows)} signers' recorded positions: {spread}."
    return ClaimCheck(claim, verdict, why, rows, _source_ids(rows["sources"]))


# --- Signers -----------------------------------------------------------------------------------

def signer_count(n: int) -> ClaimCheck:
    """Check "<n> members signed the letter" against the list of signers.

    Examples
    --------
    >>> from policykit.claims import signer_count
    >>> signer_count(40).verdict
    'contradicted'
    """
    n = _count(n, "n")
    signers = load("signatories")
    rows = signers[["name", "party", "state", "district", "corroboration", "sources"]].copy()
    rows["party"] = rows["party"].astype(str)
    rows["corroboration"] = rows["corroboration"].astype(str)
    single = int((rows["corroboration"] == "single").sum())
    parties = ", ".join(f"{int(k)} {_PARTIES[p]}" for p, k in
                        rows["party"].value_counts().items())
    verdict: Verdict = "supported" if n == len(rows) else "contradicted"
    why = (f"The letter carries {len(rows)} names ({parties}); {single} of them rest on a "
           "single published list (corroboration = 'single').")
    return ClaimCheck(f"{n} members of Congress signed the letter.", verdict, why,
                      rows.reset_index(drop=True), _source_ids(rows["sources"]))


def signer_state(name: str, state: str) -> ClaimCheck:
    """Check "<signer> represents <state>".

    Parameters
    ----------
    name : str
        A signer's surname (``'Omar'``), full name as published or bioguide id.
    state : str
        A two-letter code (``'MN'``) or a state's name (``'Minnesota'``).

    Examples
    --------
    >>> from policykit.claims import signer_state
    >>> c = signer_state("Omar", "Michigan")
    >>> c.verdict, c.evidence.loc[0, "state"]
    ('contradicted', 'MN')
    """
    row = _signer(name)
    code = _state(state)
    rows = pd.DataFrame([{"name": row["name"], "state": row["state"],
                          "district": int(row["district"]), "sources": row["sources"]}])
    actual = str(row["state"])
    claim = f"{row['name']} represents {_STATES[code]}."
    verdict: Verdict = "supported" if actual == code else "contradicted"
    why = (f"{row['name']} represents {_STATES.get(actual, actual)}'s district "
           f"{int(row['district'])} ({actual}-{int(row['district']):02d}) in the 117th Congress.")
    return ClaimCheck(claim, verdict, why, rows, _source_ids(rows["sources"]))


# --- Dates -------------------------------------------------------------------------------------

def event_date(event: str, date: str | _dt.date) -> ClaimCheck:
    """Check the date of an event of the letter's story ("withdrawn on October 15").

    Parameters
    ----------
    event : str
        A key of :data:`EVENTS` (``'release'``, ``'clarification'``, ``'withdrawal'``, ...)
        or an ``event_id`` from ``policykit.load_events()``.
    date : str or datetime.date
        The claimed date, as an ISO string (``'2022-10-15'``) or a date.

    Returns
    -------
    ClaimCheck
        Evidence: the event's row (when it happened and when it became public); for the
        clarification and the withdrawal also the caucus's dated statements.

    Examples
    --------
    >>> from policykit.claims import event_date
    >>> c = event_date("withdrawal", "2022-10-15")  # as one outlet dated it
    >>> c.verdict
    'contradicted'
    >>> event_date("withdrawal", "2022-10-25").verdict
    'supported'
    """
    events = load("events")
    ids = events["event_id"].tolist()
    if event in EVENTS:
        event_id = EVENTS[event]
    elif event in ids:
        event_id = str(event)
    else:
        msg = invalid_choice("event", event, list(EVENTS),
                             "Or pass an event_id from policykit.load_events().")
        raise InvalidArgumentError(msg)
    claimed = _date(date)
    ev = events[events["event_id"] == event_id].iloc[0]
    rows = pd.DataFrame([{"kind": "event", "id": event_id, "date": ev["date"],
                          "date_public": ev["date_public"], "what": ev["event"],
                          "sources": ev["sources"]}])
    key = _STATEMENT_EVENTS.get(next((k for k, v in EVENTS.items() if v == event_id), ""))
    if key is not None:
        st = load("statements")
        st = st[st["statement"] == key]
        rows = pd.concat([rows, pd.DataFrame({
            "kind": "statement", "id": st["statement_id"], "date": st["date"],
            "date_public": st["date"], "what": st["speaker"] + ": " + st["quote"],
            "sources": st["sources"]})], ignore_index=True)
    actual = pd.Timestamp(ev["date"])
    label = next((k for k, v in EVENTS.items() if v == event_id), None)
    when = claimed.date().isoformat()
    claim = (f"{_EVENT_PHRASES[label]} on {when}." if label is not None
             else f"Event {event_id} ({ev['event']}) happened on {when}.")
    verdict: Verdict = "supported" if actual == claimed else "contradicted"
    why = f"The record dates it {actual.date().isoformat()}: {ev['event']}."
    if ev["date_public"] != ev["date"]:
        why += f" It became public on {pd.Timestamp(ev['date_public']).date().isoformat()}."
    if bool(ev["single_source"]):
        why += " This event rests on a single source: treat the date as provisional."
    return ClaimCheck(claim, verdict, why, rows, _source_ids(rows["sources"]))


# --- The letter's wording and claims the data cannot settle ------------------------------------

def letter_says(phrase: str) -> ClaimCheck:
    """Check "the letter says <phrase>" against the letter's verified passages.

    The full text of the letter could not be obtained faithfully, so a phrase that is found
    is supported, and a phrase that is not found is *not settled by the data*, never
    contradicted: it may stand in a passage nobody has verified.

    Examples
    --------
    >>> from policykit.claims import letter_says
    >>> letter_says("direct talks with Russia").verdict
    'supported'
    >>> letter_says("unconditional surrender").verdict
    'not settled by the data'
    """
    if not isinstance(phrase, str) or not phrase.strip():
        msg = (f"letter_says() needs a non-empty phrase; got {phrase!r}. Allowed: any text "
               "to look for. Try e.g. letter_says('ceasefire').")
        raise InvalidArgumentError(msg)
    hits = analysis.find_passages(phrase)
    rows = hits[["passage_id", "paragraph", "kind", "text", "truncated", "sources"]].copy()
    rows["kind"] = rows["kind"].astype(str)
    claim = f"The letter says {phrase.strip()!r}."
    total = len(load("letter_passages"))
    if len(rows):
        verdict: Verdict = "supported"
        why = (f"The phrase appears in {_plural(len(rows), 'verified passage')} of the letter "
               f"(out of {total}).")
    else:
        verdict = "not settled by the data"
        why = (f"None of the letter's {total} verified passages contains it, but the text is "
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
        msg = (f"evidence must be a pandas DataFrame or None; got {type(evidence).__name__!r}. "
               "Allowed: rows from a policykit table. Pass e.g. "
               "evidence=policykit.load_statements().head(2), or leave it out.")
        raise InvalidArgumentError(msg)
    sources = _source_ids(rows["sources"]) if "sources" in rows.columns else ()
    return ClaimCheck(claim.strip(), "not settled by the data", reason.strip(), rows, sources)


# --- The withdrawal statement's claim about the votes ------------------------------------------

#: Groups :func:`every_package` can check, with what each one means.
PACKAGE_GROUPS: dict[str, str] = {
    "signers": "the letter's 30 signers",
    "democrats": "House Democrats (all those recorded on each roll call)",
}
_PACKAGE_OPENING = "The proximity of these statements"


def _package_keys(vote_keys: Iterable[str] | None, before: pd.Timestamp) -> list[str]:
    if vote_keys is None:
        rc = load("rollcalls").set_index("vote_key")
        return [k for k in analysis.vote_keys("House", tiers=["core"])
                if rc.loc[k, "date"] <= before]
    if isinstance(vote_keys, str):
        msg = (f"vote_keys must be a list of House roll-call keys; got the string "
               f"{vote_keys!r}. Allowed: a list such as ['h145-117.2022']. Wrap one key in a "
               "list, or leave vote_keys out for the core aid roll calls before the statement.")
        raise InvalidArgumentError(msg)
    keys = list(vote_keys)
    if not keys:
        msg = ("vote_keys is empty. Allowed: one or more House roll-call keys, see "
               "policykit.analysis.vote_keys('House', tiers=['core']). Leave vote_keys out "
               "for the core aid roll calls before the statement.")
        raise InvalidArgumentError(msg)
    for k in keys:
        _house_key(k, "every_package")
    return keys


def every_package(group: str = "signers", *,
                  vote_keys: Iterable[str] | None = None) -> ClaimCheck:
    """Check the withdrawal statement's "voted for every package" against the roll calls.

    The caucus's withdrawal statement of 25 October 2022 says that "Democrats, who have
    strongly and unanimously supported and voted for every package of military, strategic,
    and economic assistance to the Ukrainian people" were made to look aligned with Republicans
    who would end aid. The roll calls can check the "unanimously ... voted for" part for a
    group of members; "strongly" and "supported" are not recorded in votes.

    Parameters
    ----------
    group : {"signers", "democrats"}, default "signers"
        Whom "Democrats" means: the letter's 30 signers, or every Democrat recorded on each
        roll call. The statement does not say; the verdict can differ.
    vote_keys : list of str, optional
        The House roll calls that count as "packages". Default: the core aid roll calls
        (``policykit.analysis.vote_keys('House', tiers=['core'])``) held on or before the
        statement's date. Which votes count as a package of assistance is a judgement: the
        March 2022 omnibus was voted in two parts, each covering only what its question text
        names.

    Returns
    -------
    ClaimCheck
        Contradicted when a member of the group voted Nay or Present on one of the roll calls;
        absences (Not Voting) are listed but do not decide. Evidence: one row per roll call,
        with the Clerk's question text (what the vote covered), the group's positions,
        ``not_yea`` (who voted Nay or Present) and ``fits_claim``.

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
    if group not in PACKAGE_GROUPS:
        msg = invalid_choice("group", group, list(PACKAGE_GROUPS),
                             "Use 'signers' for the letter's signers or 'democrats' for all "
                             "House Democrats.")
        raise InvalidArgumentError(msg)
    st = load("statements")
    sentence = st[st["quote"].str.startswith(_PACKAGE_OPENING)].iloc[0]
    keys = _package_keys(vote_keys, sentence["date"])
    rc = load("rollcalls").set_index("vote_key")
    rows = []
    for k in keys:
        mp = analysis.member_positions(k)
        mp = mp[mp["signer"]] if group == "signers" else mp[mp["party"] == "D"]
        pos = mp["position"].astype(str)
        not_yea = mp.loc[pos.isin(["Nay", "Present"])]
        absent = mp.loc[pos == "Not Voting", "name"].tolist()
        r = rc.loc[k]
        rows.append({
            "vote_key": k, "date": r["date"], "roll": int(r["roll"]), "bill": r["bill"],
            "question": r["question"], "members": len(mp),
            "yea": int((pos == "Yea").sum()), "nay": int((pos == "Nay").sum()),
            "present": int((pos == "Present").sum()), "not_voting": len(absent),
            "not_yea": "; ".join(f"{n} ({p})" for n, p in
                                 zip(not_yea["name"], not_yea["position"].astype(str),
                                     strict=True)),
            "not_voting_names": "; ".join(absent),
            "fits_claim": not_yea.empty, "sources": r["sources"],
        })
    rows_df = pd.DataFrame(rows).sort_values(["fits_claim", "date", "roll"], kind="stable")
    rows_df = rows_df.reset_index(drop=True)
    who = PACKAGE_GROUPS[group]
    claim = (f"Democrats \"strongly and unanimously supported and voted for every package\" of "
             f"assistance to Ukraine (withdrawal statement, "
             f"{sentence['date'].date().isoformat()}), read as: {who} voted Yea on each of "
             f"{_plural(len(keys), 'House roll call')}.")
    misfits = rows_df[~rows_df["fits_claim"]]
    verdict: Verdict = "supported" if misfits.empty else "contradicted"
    parts = [f"roll {r.roll} ({r.date.date().isoformat()}, question {r.question!r}): "
             f"{r.nay} Nay, {r.present} Present" for r in misfits.itertuples()]
    if misfits.empty:
        why = f"On each of the {len(keys)} roll calls, no member of {who} voted Nay or Present."
    else:
        why = f"Among {who}: " + "; ".join(parts) + "."
    why += (" In March 2022 the House voted on the FY2022 omnibus in two parts, each covering "
            "only what its question text names, so a Nay there was a vote against that whole "
            "part; the record does not say why members voted as they did. "
            "'Democrats' may mean the signers or all House Democrats (see group), and which "
            "votes count as a 'package' is a judgement (see vote_keys). Absences (Not Voting) "
            "are listed, not counted against the claim.")
    sources = _source_ids([*rows_df["sources"], sentence["sources"]])
    return ClaimCheck(claim, verdict, why, rows_df, sources)


# --- Reported aid amounts ----------------------------------------------------------------------

#: How far a reported amount may be from the recorded one and still agree (billions of
#: dollars): sources disagree in the decimals ($40B vs $39.8B, $45B vs $44.9B).
AID_TOLERANCE = 0.5


def aid_amount(vote_key: str, usd_billion: float) -> ClaimCheck:
    """Check "roll call <vote_key> passed $<usd_billion> billion in Ukraine aid".

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

    Examples
    --------
    >>> from policykit.claims import aid_amount
    >>> aid_amount("h145-117.2022", 40).verdict  # reported as about $40 billion
    'supported'
    >>> aid_amount("h65-117.2022", 13.6).verdict  # one part of a divided question
    'not settled by the data'
    """
    rc = analysis.rollcall(vote_key)
    if isinstance(usd_billion, bool) or not isinstance(usd_billion, int | float) \
            or not usd_billion >= 0:
        msg = (f"usd_billion must be an amount in billions of dollars, 0 or more; got "
               f"{usd_billion!r}. Allowed: a number such as 13.6 or 40. Pass e.g. "
               f"aid_amount({vote_key!r}, 13.6).")
        raise InvalidArgumentError(msg)
    allrc = load("rollcalls")
    same = allrc[allrc["bill"] == rc["bill"]]
    cols = ["vote_key", "date", "chamber", "roll", "question", "divided_question",
            "aid_usd_billion", "aid_note", "sources"]
    rows = same[cols].sort_values(["date", "chamber", "roll"]).copy()
    rows["claimed_vote"] = rows["vote_key"] == vote_key
    rows = rows.sort_values("claimed_vote", ascending=False, kind="stable")
    rows = rows.reset_index(drop=True)
    claim = (f"The vote on {_vote_name(rc)} passed ${usd_billion:g} billion in Ukraine aid.")
    recorded = rc["aid_usd_billion"]
    if pd.notna(recorded):
        ok = abs(float(recorded) - float(usd_billion)) <= AID_TOLERANCE
        verdict: Verdict = "supported" if ok else "contradicted"
        why = (f"The measure is reported as carrying ${float(recorded):g} billion in Ukraine "
               f"aid ({rc['aid_note']}); amounts within ${AID_TOLERANCE:g} billion count as "
               "the same, because sources disagree in the decimals.")
    else:
        verdict = "not settled by the data"
        if pd.notna(rc["divided_question"]):
            why = (f"This vote was one part of a divided question: {rc['divided_question']} "
                   f"{rc['aid_note']}")
        else:
            why = ("No Ukraine aid figure is recorded for this vote (it is not a vote on a "
                   "whole aid measure, e.g. a cloture vote or a resolution).")
    return ClaimCheck(claim, verdict, why, rows, _source_ids(rows["sources"]))
