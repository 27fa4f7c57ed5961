"""Build policykit's curated data package from the raw, sourced material.

Usage (from the repository root)::

    python datasets/scripts/build.py            # rebuild datasets/ from ../shared/sources
    python datasets/scripts/build.py --check    # exit 1 if the committed files would change

The build is deterministic: the same sources give the same bytes. Each step below is a small
named function; every row it writes carries the ids of the sources it rests on. Nothing is
typed in from memory: facts come from ``../shared/sources`` (see its README) or from
``datasets/scripts/additions/`` (rows found later, each with its URL), and the curators'
classifications live in plain dictionaries below, each with the reason it is there.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import re
import sys
import unicodedata
from pathlib import Path
from urllib.parse import urlparse

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(HERE))

from schema import DATE_CONFIDENCE, RESOURCES  # noqa: E402

DEFAULT_SOURCES = ROOT.parent / "shared" / "sources"
OUT = ROOT / "datasets" / "cpc_letter_2022"
ADDITIONS = HERE / "additions"
VOTEVIEW_URL = "https://voteview.com/data"
PACKAGE_VERSION = "1.0.0"

# --- Curators' classifications (each cites where it comes from) -------------------------------

# shared/sources/README.md: "22 names are corroborated independently; 8 rest on one published
# list (Carson, Clarke, DeFazio, DeSaulnier, H. Johnson, M. Jones, Payne, Velázquez)".
SINGLE_SOURCE_SIGNERS = {
    "C001072", "C001067", "D000191", "D000623", "J000288", "J000306", "P000604", "V000081",
}
# Same README: "CPC membership was individually confirmed only for Jayapal, Pocan, B. Lee,
# Pingree, Khanna."
CPC_CONFIRMED = {"J000298", "P000607", "L000551", "P000597", "K000389"}
LEAD_SIGNER = "J000298"  # letter.json: lead_signer

# Same README, "Uncertain dates in responses.csv": (speaker, first words of the quote).
UNCERTAIN_DATES = {
    ("Jake Auchincloss", "This letter is an olive branch"),
    ("Seth Moulton", "The suggestion that we make"),
    ("Mark Takano", "only Ukrainians have a right"),
    ("Susan Wild", "dismayed that some"),
    ("Mark Pocan", "I have no idea why"),
    ("Bernie Sanders", "has to be resisted"),
}
SECONDARY_ONLY_DATES = {("Karine Jean-Pierre", "We’ve been very clear")}

# Signers' remarks grouped by where they stand on the letter, from each row's own stance text
# in responses.csv ("stands by letter", "walks back", "distances self", "backs retraction",
# "welcomes withdrawal", ...). Jayapal spoke for the caucus.
SIGNER_PERSPECTIVE = {
    "Pramila Jayapal": "caucus_leadership",
    "Ro Khanna": "signer_stood_by",
    "Mark Takano": "signer_other",
    "Sara Jacobs": "signer_walked_back",
    "Mark Pocan": "signer_walked_back",
    "Bonnie Watson Coleman": "signer_walked_back",
    "Chellie Pingree": "signer_walked_back",
    "Jamie Raskin": "signer_walked_back",
    "Sheila Jackson Lee": "signer_walked_back",
    "Jamaal Bowman": "signer_stood_by",  # additions: "I stand by the idea..." after retraction
}
# A signer whose remarks stand on different sides: (speaker, first words) -> perspective.
SIGNER_PERSPECTIVE_BY_QUOTE = {
    # additions: Pocan defends the letter's intent (24 Oct), before he walked back its timing.
    ("Mark Pocan", "It was trying to get to a cease-fire"): "signer_stood_by",
}
PERSPECTIVE_BY_ACTOR = {
    "administration": "administration",
    "democratic_colleague": "democratic_critic",
    "republican": "republican",
    "foreign_government": "foreign_government",
    "expert": "expert",
    "advocacy_group": "advocacy_group",
    "other": "other",
}
ACTOR_TYPES = ["signatory", *PERSPECTIVE_BY_ACTOR]

# Where each remark stands on the letter (curators' reading of the quote and its stance
# summary), by response id (ids are derived from the quote, so an edited quote must be
# classified again): supports (speaks for the letter or its call for diplomacy), mixed
# (defends its aim, faults its timing or rollout), critical (argues against it), distances
# (a signer or the caucus walks it back or backs the withdrawal), no_position (answers
# without taking a side on the letter: restates policy, declines comment), context (not about
# the letter).
VIEW_OF_LETTER = {
    "supports": ["r20220728-democracy-58e2", "r20221024-jayapal-e7e2", "r20221024-jayapal-cce4",
                 "r20221025-khanna-cbb0", "r20221025-bowman-03d2", "r20221031-khanna-77b3"],
    "mixed": ["r20221024-pocan-0836", "r20221025-group-063b"],
    "critical": ["r20221024-gallego-8d0a", "r20221024-auchincloss-92d0",
                 "r20221024-grossman-e7ef", "r20221025-moulton-b861", "r20221025-wild-ec16",
                 "r20221025-sanders-9b90", "r20221025-thelander-e15d", "r20221025-manley-b9d5",
                 "r20221025-drezner-423c", "r20221026-ustinova-7f54", "r20221026-ustinova-b1a6",
                 "r20221026-merezhko-20fd", "r20221026-farley-3369", "r20221028-kuleba-1586",
                 "r20221028-kuleba-2218"],
    "distances": ["r20221024-pocan-a476", "r20221025-jayapal-2024", "r20221025-jayapal-d1fb",
                  "r20221025-jacobs-d7a4", "r20221025-pocan-9a54", "r20221025-pocan-fc4a",
                  "r20221025-coleman-2b8b", "r20221025-pingree-364a", "r20221025-raskin-82c4",
                  "r20221026-lee-fff9"],
    "no_position": ["r20221024-kirby-5a4c", "r20221024-kirby-85e3", "r20221024-jean-pierre-1911",
                    "r20221024-kirby-ce0b", "r20221024-kirby-bc2e", "r20221025-takano-b0b0",
                    "r20221025-jean-pierre-19b9", "r20221025-sybiha-cf53",
                    "r20221025-jean-pierre-5227"],
    "context": ["r20221018-mccarthy-9c4f", "r20221021-biden-977a", "r20221030-peskov-40d3"],
}

# Rows of additions/responses_extra.csv not taken into the table, with the reason (reported in
# the build's output and in describe("responses")): (speaker, first words) -> reason.
REJECTED_ADDITIONS = {
    ("Karine Jean-Pierre", "this is a decision that President [Vladimir] Zelensky"): (
        "its only copy is an RT article re-posted by troib.com, whose editorial insertion "
        "'[Vladimir]' gives Zelensky a wrong first name (he is Volodymyr); her point that the "
        "decision is Zelensky's is in her 25 October row from The Hill"),
}
# House members among speakers: (surname as Voteview prints it, state).
SPEAKER_SEATS = {
    "Kevin McCarthy": ("MCCARTHY", "CA"), "Pramila Jayapal": ("JAYAPAL", "WA"),
    "Ruben Gallego": ("GALLEGO", "AZ"), "Jake Auchincloss": ("AUCHINCLOSS", "MA"),
    "Mark Pocan": ("POCAN", "WI"), "Sara Jacobs": ("JACOBS", "CA"),
    "Mark Takano": ("TAKANO", "CA"), "Bonnie Watson Coleman": ("WATSON COLEMAN", "NJ"),
    "Chellie Pingree": ("PINGREE", "ME"), "Jamie Raskin": ("RASKIN", "MD"),
    "Ro Khanna": ("KHANNA", "CA"), "Seth Moulton": ("MOULTON", "MA"),
    "Susan Wild": ("WILD", "PA"), "Sheila Jackson Lee": ("JACKSON LEE", "TX"),
    "Jamaal Bowman": ("BOWMAN", "NY"),
}
LETTER_RELEASED = "2022-10-24"  # letter.json: date_released

# When an event became public, where that differs from when it happened (events table).
EVENT_PUBLIC = {
    ("2022-06-30", "letter"): (
        "2022-10-25",
        "Jacobs's signing date became known from her statement of 2022-10-25 (responses).",
    ),
    ("2022-08-01", "letter"): (
        "2022-10-25",
        "Known from Politico's report after the withdrawal (bwcentral.org re-post of "
        "2022-10); the exact report date is approximate.",
    ),
}

# Ukraine aid in each measure, from letter/timeline.csv (enactment events) and the sources
# README ("Aid amounts ($13.6B, ~$40B, ~$12.3B, ~$45B) come from news and CRS"). The figure
# goes only on a roll call that voted on the whole measure (passage or final concurrence).
AID = {
    "H.R. 2471": (13.6, "Reported as $13.6 billion for the Ukraine supplemental (Division N) of "
                  "the FY2022 omnibus as enacted."),
    "H.R. 7691": (40.0, "Reported as about $40 billion; $39.8 billion at House passage."),
    "H.R. 6833": (12.3, "Reported as about $12.3 billion in the continuing resolution."),
    "H.R. 2617": (45.0, "Reported as about $45 billion; some outlets give $44.9 billion."),
}
AID_EVENT_DATES = {"H.R. 2471": "2022-03-15", "H.R. 7691": "2022-05-21",
                   "H.R. 6833": "2022-09-30", "H.R. 2617": "2022-12-29"}
# The House divided the question on the FY2022 omnibus (H.R. 2471) on 2022-03-09. What each
# part covered is read from the Clerk's question text (house_rollcalls.csv, `question`):
# roll 65 "(Divisions B,C,F,X,Z, titles 2&3 of Division N)", roll 66 "(Remaining Divisions)".
# Neither carried the whole Ukraine supplemental, and the record gives no dollar figure for
# either part, so neither gets the $13.6 billion of the enacted law.
DIVIDED_QUESTIONS = {
    "h65-117.2022": (
        "(Divisions B,C,F,X,Z, titles 2&3 of Division N)",
        "First of two divided questions on the FY2022 omnibus: Divisions B, C, F, X and Z, "
        "and titles II and III of Division N (the Clerk's question text).",
        "No figure for this part: of Division N (the Ukraine supplemental) its question "
        "names only titles II and III, beside other divisions, and the record gives no dollar "
        "amount per part. The $13.6 billion reported for the Ukraine supplemental is the "
        "enacted law's figure (see the Senate's vote on the whole bill, s78-117.2022)."),
    "h66-117.2022": (
        "(Remaining Divisions)",
        "Second of two divided questions on the FY2022 omnibus: the 'Remaining Divisions' "
        "(the Clerk's question text); the record does not list them.",
        "No figure for this part: the record does not itemise the remaining divisions or say "
        "which Ukraine aid, if any, they included; the $13.6 billion reported for the Ukraine "
        "supplemental is the enacted law's figure (see s78-117.2022)."),
}
INFERRED_PUBLIC_LAW = {"H.R. 6833"}  # sources README: "P.L. 117-180 for H.R. 6833 is inferred"


# Reports that make claims the lessons check (see additions/README.md); not used as evidence.
CLAIM_SOURCES = [
    "https://euromaidanpress.com/2022/10/26/left-democrats-withdrew-letter-to-biden-calling-for-"
    "direct-negotiations-with-russia/",
]


# --- Helpers -----------------------------------------------------------------------------------

def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def split_urls(text: str) -> list[str]:
    return [u.strip() for u in text.split(";") if u.strip()]


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def content_id(prefix: str, date: str, label: str, *content: str) -> str:
    """An id derived from a row's content, so that it never moves when rows are added.

    ``<prefix><yyyymmdd>-<label>-<4 hex digits>``: the date and a readable label locate the
    row, the digits are the start of the SHA-1 of its defining text (a quote, a passage, an
    event's description). Ids change only when that content changes; ``build`` checks that
    they are unique.
    """
    digest = hashlib.sha1("\n".join(content).encode("utf-8")).hexdigest()[:4]
    parts = [prefix + date.replace("-", ""), _slug(label), digest]
    return "-".join(p for p in parts if p)


def check_unique(rows: list[dict], key: str) -> None:
    seen: dict[str, dict] = {}
    for r in rows:
        if r[key] in seen:
            raise SystemExit(f"two rows get the id {r[key]!r}: lengthen the digest in "
                             "content_id or change one row's label")
        seen[r[key]] = r


def scrape_url(data_source: str) -> str:
    """Turn 'github:owner/repo@sha:path' into a browsable URL."""
    body = data_source.removeprefix("github:")
    repo, rest = body.split("@", 1)
    sha, path = rest.split(":", 1)
    return f"https://github.com/{repo}/blob/{sha}/{path}"


# Provenance of one page where it differs from its host's line in publishers.csv:
# url -> (provenance, what it re-posts).
URL_PROVENANCE: dict[str, tuple[str, str]] = {}


class SourceRegistry:
    """Assigns stable ids to URLs and records their publisher and kind."""

    def __init__(self, publishers: dict[str, dict[str, str]], notes: dict[str, str]):
        self.publishers = publishers
        self.notes = notes
        self.by_url: dict[str, str] = {}

    def ids(self, urls: list[str]) -> str:
        if not urls:
            raise ValueError("a row without a source")
        return ";".join(self.add(u) for u in urls)

    def add(self, url: str) -> str:
        if url not in self.by_url:
            host = urlparse(url).netloc
            if host not in self.publishers:
                raise SystemExit(f"unclassified source host {host!r} ({url}): "
                                 "add it to datasets/scripts/publishers.csv")
            stem = host.removeprefix("www.").split(".")
            stem = [s for s in stem if s not in {"com", "org", "net", "gov", "co", "uk", "eu"}]
            slug = "-".join(stem)[:24].strip("-")
            digest = hashlib.sha1(url.encode()).hexdigest()[:6]
            self.by_url[url] = f"{slug}-{digest}"
        return self.by_url[url]

    def provenance(self, url: str) -> str:
        host = urlparse(url).netloc
        if host not in self.publishers:
            raise SystemExit(f"unclassified source host {host!r} ({url}): "
                             "add it to datasets/scripts/publishers.csv")
        return URL_PROVENANCE.get(url, (self.publishers[host]["provenance"], ""))[0]

    def rows(self) -> list[dict[str, object]]:
        out = []
        for url, sid in sorted(self.by_url.items(), key=lambda kv: kv[1]):
            pub = self.publishers[urlparse(url).netloc]
            note = " ".join(x for x in (pub["reliability_note"], self.notes.get(url, "")) if x)
            prov, origin = URL_PROVENANCE.get(url, (pub["provenance"], pub["reposted_from"]))
            out.append({"source_id": sid, "url": url, "publisher": pub["publisher"],
                        "kind": pub["kind"], "provenance": prov, "reposted_from": origin,
                        "reliability_note": note})
        return out


# --- Steps -------------------------------------------------------------------------------------

def build_members(src: Path, reg: SourceRegistry) -> list[dict]:
    votes = read_csv(src / "votes" / "house_member_votes.csv")
    at_large_states = {v["state"] for v in votes if v["at_large"] == "Y"}
    sid = reg.ids([VOTEVIEW_URL])
    rows = []
    for m in read_csv(src / "voteview" / "H117_members.csv"):
        if m["chamber"] != "House":
            continue
        rows.append({
            "bioguide_id": m["bioguide_id"], "icpsr": m["icpsr"], "name": m["bioname"],
            "party": {"100": "D", "200": "R", "328": "I"}[m["party_code"]],
            "state": m["state_abbrev"], "district": m["district_code"],
            "at_large": m["state_abbrev"] in at_large_states,
            "delegate": m["district_code"] == "0",
            "nominate_dim1": m["nominate_dim1"], "nominate_dim2": m["nominate_dim2"],
            "born": m["born"], "sources": sid,
        })
    return sorted(rows, key=lambda r: (r["state"], int(r["district"]), r["bioguide_id"]))


def build_signatories(src: Path, reg: SourceRegistry) -> list[dict]:
    rows = []
    for s in read_csv(src / "letter" / "signatories.csv"):
        bid = s["bioguide_id"]
        rows.append({
            "bioguide_id": bid, "name": s["name_full"], "last_name": s["last_name"],
            "party": s["party"], "state": s["state"], "district": s["district"],
            "lead_signer": bid == LEAD_SIGNER,
            "corroboration": "single" if bid in SINGLE_SOURCE_SIGNERS else "multiple",
            "cpc_member_reported": s["cpc_member"] == "yes",
            "cpc_member_confirmed": bid in CPC_CONFIRMED,
            "follow_up": s["notable_followup"], "sources": reg.ids(split_urls(s["sources"])),
        })
    return rows


def build_rollcalls(src: Path, reg: SourceRegistry, timeline: list[dict]) -> list[dict]:
    aid_sources = {bill: next(split_urls(e["sources"]) for e in timeline
                              if e["date"] == day and e["category"] == "congress_vote")
                   for bill, day in AID_EVENT_DATES.items()}
    rows = []
    for chamber in ("house", "senate"):
        for r in read_csv(src / "votes" / f"{chamber}_rollcalls.csv"):
            url = r.get("clerk_xml_url") or r["senate_xml_url"]
            aid = AID.get(r["bill"])
            divided = DIVIDED_QUESTIONS.get(r["vote_key"])
            if divided and not r["question"].endswith(divided[0]):
                raise SystemExit(f"{r['vote_key']}: the question text no longer reads "
                                 f"{divided[0]!r}; check DIVIDED_QUESTIONS")
            aid_ok = aid is not None and r["tier"] == "core" and divided is None
            urls = [url, scrape_url(r["data_source"])]
            if aid is not None and r["tier"] == "core":
                urls += aid_sources[r["bill"]]
            clerk = r.get("clerk_vote_desc", "")
            rows.append({
                "vote_key": r["vote_key"], "chamber": r["chamber"], "congress": r["congress"],
                "session": r["session"], "roll": r["roll"], "date": r["date"],
                "time_local": r["time_local"], "bill": r["bill"], "label": r["label"],
                "clerk_title": clerk, "short_title": r["enacted_short_title"],
                "display_title": r["enacted_short_title"] or clerk,
                "question": r["question"], "result": r["result"],
                "majority_required": r["majority_required"], "tier": r["tier"],
                **{k: r.get(k, "") for k in (
                    "yea", "nay", "present", "not_voting", "dem_yea", "dem_nay", "dem_present",
                    "dem_not_voting", "rep_yea", "rep_nay", "rep_present", "rep_not_voting",
                    "ind_yea", "ind_nay", "ind_not_voting", "voteview_rollnumber",
                    "voteview_yea", "voteview_nay")},
                "divided_question": divided[1] if divided else "",
                "aid_usd_billion": aid[0] if aid_ok else "",
                "aid_note": aid[1] if aid_ok else divided[2] if divided else "",
                "public_law": r["public_law"],
                "public_law_inferred": bool(r["public_law"]) and r["bill"] in INFERRED_PUBLIC_LAW,
                "signed": r["signed"], "source_url": url, "sources": reg.ids(urls),
            })
    return sorted(rows, key=lambda r: (r["chamber"], r["date"], int(r["roll"])))


def build_house_votes(src: Path, reg: SourceRegistry, rollcalls: list[dict]) -> list[dict]:
    by_key = {r["vote_key"]: r["sources"].split(";")[0] for r in rollcalls}
    order = {r["vote_key"]: i for i, r in enumerate(rollcalls)}
    rows = [{"vote_key": v["vote_key"], "bioguide_id": v["bioguide_id"], "party": v["party"],
             "state": v["state"], "district": v["district"], "position": v["position"],
             "sources": by_key[v["vote_key"]]}
            for v in read_csv(src / "votes" / "house_member_votes.csv")]
    return sorted(rows, key=lambda r: (order[r["vote_key"]], r["bioguide_id"]))


def build_senate_votes(src: Path, reg: SourceRegistry, rollcalls: list[dict]) -> list[dict]:
    by_key = {r["vote_key"]: r["sources"].split(";")[0] for r in rollcalls}
    order = {r["vote_key"]: i for i, r in enumerate(rollcalls)}
    rows = [{"vote_key": v["vote_key"], "lis_member_id": v["lis_member_id"],
             "first_name": v["first_name"], "last_name": v["last_name"], "party": v["party"],
             "state": v["state"], "position": v["position"], "sources": by_key[v["vote_key"]]}
            for v in read_csv(src / "votes" / "senate_member_votes.csv")]
    return sorted(rows, key=lambda r: (order[r["vote_key"]], r["lis_member_id"]))


PARAGRAPH_OPENINGS = [
    # letter.json full_text_availability.paragraph_count_note, in letter order. The openings
    # were read from the faithful copies (sociopathcommunity paste, Twitchy excerpts).
    (1, "We write with appreciation for your commitment to Ukraine's legitimate struggle"),
    (2, "Crucially, you achieved this while also maintaining"),
    (3, "Given the destruction created by this war"),
    (5, "We agree with the Administration's perspective"),
]


def build_letter_passages(letter: dict, reg: SourceRegistry) -> list[dict]:
    faithful = [c["url"] for c in letter["full_text_availability"]["faithful_copies"]]
    phrases = [p["phrase"] for p in letter["key_phrases"]]
    rows = []

    def found(text: str) -> str:
        low = text.lower()
        return ";".join(p for p in phrases if p.lower().rstrip(".") in low)

    for para, text in PARAGRAPH_OPENINGS:
        rows.append({"paragraph": para, "kind": "paragraph_opening", "text": text,
                     "truncated": True, "key_phrases": found(text), "variant_note": "",
                     "sources": reg.ids(faithful)})
    # Sentences carrying the key phrases (context given in letter.json).
    realistic = next(p for p in letter["key_phrases"]
                     if p["phrase"] == "realistic framework for a ceasefire")
    for p in letter["key_phrases"]:
        if p is realistic:
            continue
        text = p["context"] if p["context"] != "closing sentence of the framework paragraph" \
            else p["phrase"]
        urls = list(p["sources"])
        note = p.get("note", "")
        if realistic["phrase"] in text:
            urls += [u for u in realistic["sources"] if u not in urls]
            note = "Some outlets print 'cease-fire' or 'cease fire'."
        rows.append({"paragraph": "", "kind": "sentence", "text": text,
                     "truncated": not text.endswith("."), "key_phrases": found(text),
                     "variant_note": note, "sources": reg.ids(urls)})
    for s in letter["other_verified_sentences"]:
        para = 4 if s["text"].startswith("We are under no illusions") else ""
        rows.append({"paragraph": para, "kind": "sentence", "text": s["text"],
                     "truncated": not s["text"].endswith("."), "key_phrases": found(s["text"]),
                     "variant_note": "", "sources": reg.ids(s["sources"])})
    for q in letter["quotes_of_biden_inside_letter"]:
        rows.append({"paragraph": "", "kind": "quoted_remark", "text": q, "truncated": False,
                     "key_phrases": "", "variant_note": letter["quotes_of_biden_note"],
                     "sources": reg.ids(faithful)})
    rows.sort(key=lambda r: (r["paragraph"] == "", r["paragraph"] or 0))
    for r in rows:
        first_words = " ".join(re.findall(r"[A-Za-z']+", r["text"])[:2]).replace("'", "")
        r["passage_id"] = content_id("p", "", first_words, r["text"])
    check_unique(rows, "passage_id")
    return rows


HFP_URL = "https://www.historiansforpeace.org/2022/07/28/on-ukraine-congressional-letter-urging-diplomacy/"
# Draft wording quoted by Historians for Peace on 2022-07-28 (letter.json, circulation), copied
# exactly as the stored page prints it, with the released passage it corresponds to (found by
# text) and what the comparison shows.
DRAFT_PASSAGES = [
    ("also creates a responsibility for the United States to seriously explore all possible "
     "avenues, including direct engagement with Russia to reduce harm and support Ukraine in "
     "achieving a peaceful settlement",
     "seriously explore all possible avenues",
     "Matches the released sentence except for the comma after 'Russia' in the released text; "
     "such a small difference may be the quoting source's copying, not a revision."),
    ("to seek a rapid end to the conflict as a chief priority while all while continuing to "
     "respect Ukraine’s sovereign decisions",
     None,
     "The sources' notes record different released wording for this clause, but no faithful "
     "copy of the released sentence was found, so it is not among the verified passages and "
     "the comparison is UNCONFIRMED."),
]


def build_letter_drafts(passages: list[dict], reg: SourceRegistry) -> list[dict]:
    rows = []
    for text, released_marker, note in DRAFT_PASSAGES:
        released = ""
        if released_marker:
            hits = [p["passage_id"] for p in passages if released_marker in p["text"]]
            if len(hits) != 1:
                raise SystemExit(f"draft {text[:30]!r}: expected one released passage, "
                                 f"found {hits}")
            released = hits[0]
        rows.append({"draft_id": content_id("d", "2022-07-28", "", text),
                     "quoted_on": "2022-07-28",
                     "quoted_by": "Historians for Peace and Democracy", "text": text,
                     "released_passage_id": released, "comparison_note": note,
                     "sources": reg.ids([HFP_URL])})
    check_unique(rows, "draft_id")
    return rows


# The order of the withdrawal statement's sentences, by their first words, as the full copy of
# the statement printed by Mediaite on 2022-10-25 (among letter.json's withdrawal sources)
# gives it. No primary copy (the caucus's own release) is among the stored pages.
WITHDRAWAL_ORDER_URL = ("https://www.mediaite.com/tv/msnbcs-andrea-mitchell-shocked-by-"
                        "progressives-withdrawing-letter-to-biden-on-ukraine-more-than-a-slight-"
                        "embarrassment-for-democrats/")
WITHDRAWAL_ORDER = [
    "The Congressional Progressive Caucus hereby withdraws", "The letter was drafted",
    "As Chair of the Caucus", "Because of the timing", "The proximity of these statements",
    "Nothing could be further", "Every war ends with diplomacy", "The letter sent yesterday",
    "As such, it is a distraction",
]
# What each sentence does in its statement (curators' reading, by first words): the decision,
# a reason the statement gives for it, the chair taking responsibility, or a position.
SENTENCE_ROLE = {
    "The Congressional Progressive Caucus hereby withdraws": "decision",
    "The letter was drafted": "stated_reason",
    "As Chair of the Caucus": "responsibility",
    "Because of the timing": "stated_reason",
    "The proximity of these statements": "stated_reason",
    "Nothing could be further": "position",
    "Every war ends with diplomacy": "position",
    "The letter sent yesterday": "stated_reason",
    "As such, it is a distraction": "decision",
    "Let me be clear": "position",
    "Diplomacy is an important tool": "position",
    "we support President Biden": "position",
}
# Wording variants seen in that full copy (a source of every withdrawal row from letter.json),
# for sentences whose cited wording comes from another copy.
ORDER_COPY_VARIANTS = {
    "The letter sent yesterday": "Mediaite's full copy of the statement (a source of the "
    "statement's other rows) prints 'support for the Ukrainians’ just defense', with 'the'; "
    "the wording here is Republic World's, the one source the sentence rests on.",
}


def _first_words(table: dict[str, str] | list[str], quote: str) -> str:
    hits = [k for k in table if quote.startswith(k)]
    if len(hits) != 1:
        raise SystemExit(f"statement sentence not classified: {quote[:60]!r}")
    return hits[0]


def build_statements(letter: dict, more: dict, reg: SourceRegistry) -> list[dict]:
    """Sentences of the clarification and of the withdrawal, the latter in statement order.

    letter.json lists the central sentences; withdrawal_statement_more.json the rest of the
    withdrawal (its reasons), each sentence with its own sources and wording notes.
    """
    if WITHDRAWAL_ORDER_URL not in letter["withdrawal_statement"]["sources"]:
        raise SystemExit("the copy giving the withdrawal's sentence order is not a cited source")
    rows = []
    for name in ("clarification", "withdrawal"):
        st = letter[f"{name}_statement"]
        sentences = [(True, st["key_quote"], st["sources"], "")]
        sentences += [(False, q, st["sources"], "") for q in st["other_quotes"]]
        if name == "withdrawal":
            if more["date"] != st["date"]:
                raise SystemExit("withdrawal_statement_more.json: date differs from letter.json")
            sentences += [(False, m["text"], m["sources"], m.get("variant_note", ""))
                          for m in more["sentences"]]
            order = {k: i for i, k in enumerate(WITHDRAWAL_ORDER, 1)}
            sentences.sort(key=lambda s: order[_first_words(WITHDRAWAL_ORDER, s[1])])
        for i, (key, quote, urls, note) in enumerate(sentences, 1):
            extra = ORDER_COPY_VARIANTS.get(_first_words(SENTENCE_ROLE, quote), "")
            rows.append({"statement_id": content_id("s", st["date"], name[:3], quote),
                         "statement": name,
                         "date": st["date"], "time_note": st["time_note"],
                         "speaker": st["speaker"],
                         "position": i if name == "withdrawal" else "",
                         "role": SENTENCE_ROLE[_first_words(SENTENCE_ROLE, quote)],
                         "key_quote": key, "quote": quote,
                         "single_source": len(urls) == 1,
                         "variant_note": " ".join(x for x in (note, extra) if x),
                         "statement_note": st["wording_variants"],
                         "related_reporting": st.get("related_reporting", ""),
                         "sources": reg.ids(urls)})
    check_unique(rows, "statement_id")
    return rows


def rejected(r: dict[str, str]) -> bool:
    hits = [why for (who, words), why in REJECTED_ADDITIONS.items()
            if r["speaker"] == who and r["quote"].startswith(words)]
    if hits:
        print(f"held back: {r['speaker']}: {r['quote'][:50]!r}... ({hits[0]})", file=sys.stderr)
    return bool(hits)


def check_addition(r: dict[str, str], reg: SourceRegistry) -> bool:
    """Refuse an added row that lacks what every row needs (a rule, not a judgement)."""
    where = f"additions/responses_extra.csv, {r.get('speaker')!r}"
    if not r.get("quote", "").strip() or not r.get("speaker", "").strip():
        raise SystemExit(f"{where}: a row needs a speaker and an exact quote")
    if not split_urls(r.get("sources", "")):
        raise SystemExit(f"{where}: a row needs the URLs of its sources")
    if r["actor_type"] not in ACTOR_TYPES:
        raise SystemExit(f"{where}: unknown actor_type {r['actor_type']!r}")
    if r.get("date_confidence", "confirmed") not in DATE_CONFIDENCE:
        raise SystemExit(f"{where}: unknown date_confidence {r['date_confidence']!r}")
    if r.get("about_letter", "true") not in {"true", "false"}:
        raise SystemExit(f"{where}: about_letter must be 'true' or 'false'")
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", r["date"]):
        raise SystemExit(f"{where}: date {r['date']!r} is not YYYY-MM-DD")
    for url in split_urls(r["sources"]):
        reg.provenance(url)  # every host must be classified in publishers.csv
    return True


def build_responses(src: Path, reg: SourceRegistry, members: list[dict],
                    additions: Path) -> list[dict]:
    seat = {(m["name"].split(",")[0], m["state"]): m["bioguide_id"] for m in members}
    raw = read_csv(src / "letter" / "responses.csv")
    extra_path = additions / "responses_extra.csv"
    extra = [r for r in (read_csv(extra_path) if extra_path.exists() else [])
             if check_addition(r, reg) and not rejected(r)]
    rows = []
    for r in raw + extra:
        key = (r["speaker"], r["quote"])
        if "date_confidence" in r:
            conf = r["date_confidence"]
        elif any(r["speaker"] == s and r["quote"].startswith(q) for s, q in UNCERTAIN_DATES):
            conf = "uncertain"
        elif any(r["speaker"] == s and r["quote"].startswith(q)
                 for s, q in SECONDARY_ONLY_DATES):
            conf = "secondary_only"
        else:
            conf = "confirmed"
        urls = split_urls(r["sources"])
        if conf == "confirmed" and len(urls) == 1 and reg.provenance(urls[0]).startswith("re_post"):
            conf = "single_copy"  # the date rests on one copy of someone else's report
        by_quote = [v for (who, words), v in SIGNER_PERSPECTIVE_BY_QUOTE.items()
                    if r["speaker"] == who and r["quote"].startswith(words)]
        if by_quote:
            perspective = by_quote[0]
        elif r["actor_type"] == "signatory":
            perspective = SIGNER_PERSPECTIVE[r["speaker"]]
        else:
            perspective = PERSPECTIVE_BY_ACTOR[r["actor_type"]]
        bid = seat.get(SPEAKER_SEATS[r["speaker"]], "") if r["speaker"] in SPEAKER_SEATS else ""
        if r["speaker"] in SPEAKER_SEATS and not bid:
            raise SystemExit(f"no member found for {key}")
        rows.append({"date": r["date"], "date_confidence": conf, "speaker": r["speaker"],
                     "bioguide_id": bid, "role": r["role"], "actor_type": r["actor_type"],
                     "perspective": perspective,
                     "about_letter": (r["about_letter"] == "true" if "about_letter" in r
                                      else r["date"] >= LETTER_RELEASED),
                     "stance": r["stance"], "quote": r["quote"], "note": r.get("note", ""),
                     "sources": reg.ids(split_urls(r["sources"]))})
    rows.sort(key=lambda r: r["date"])  # stable: keeps the curated order within a day
    for r in rows:
        r["response_id"] = content_id("r", r["date"], r["speaker"].split()[-1],
                                      r["speaker"], r["quote"])
    check_unique(rows, "response_id")
    view = {rid: v for v, ids in VIEW_OF_LETTER.items() for rid in ids}
    unclassified = [r["response_id"] for r in rows if r["response_id"] not in view]
    if unclassified or len(view) != len(rows):
        raise SystemExit(f"classify in VIEW_OF_LETTER: {unclassified}; unknown ids: "
                         f"{sorted(set(view) - {r['response_id'] for r in rows})}")
    for r in rows:
        r["view_of_letter"] = view[r["response_id"]]
        if (r["view_of_letter"] == "context") == r["about_letter"]:
            raise SystemExit(f"{r['response_id']}: 'context' must match about_letter=false")
    return rows


# Events the library refers to by name (policykit.claims.EVENTS reads them from the
# `event_key` column): key -> (date, first words of the event in timeline.csv).
EVENT_KEYS = {
    "invasion": ("2022-02-24", "Russia launches its full-scale invasion"),
    "jacobs_signed": ("2022-06-30", "Rep. Sara Jacobs later says she signed"),
    "planned_release": ("2022-08-01", "Original planned release date of the letter"),
    "annexation": ("2022-09-30", "Putin signs documents annexing"),
    "armageddon_remark": ("2022-10-06", "At a DSCC fundraiser in New York, Biden says"),
    "blank_check_remark": ("2022-10-18", "Punchbowl News publishes interview"),
    "release": ("2022-10-24", "CPC letter (dated Oct. 24)"),
    "white_house_response": ("2022-10-24", "White House responds"),
    "clarification": ("2022-10-24", "Evening: Jayapal issues a clarifying statement"),
    "withdrawal": ("2022-10-25", "Afternoon: the CPC withdraws the letter"),
    "midterms": ("2022-11-08", "U.S. midterm elections"),
}


def event_key(e: dict[str, str]) -> str:
    keys = [k for k, (day, words) in EVENT_KEYS.items()
            if e["date"] == day and e["event"].startswith(words)]
    return keys[0] if keys else ""


def build_organizations(additions: Path, reg: SourceRegistry) -> list[dict]:
    """The letter's endorsing organisations (additions/organizations.csv)."""
    path = additions / "organizations.csv"
    rows = []
    for r in read_csv(path) if path.exists() else []:
        quote = r["reaction_quote"].strip()
        if quote and not r["reaction_date"]:
            raise SystemExit(f"organizations.csv: {r['name']!r} has a reaction without a date")
        rows.append({"organization_id": _slug(r["name"]), "name": r["name"],
                     "role_in_letter": r["role_in_letter"], "reaction_found": bool(quote),
                     "reaction_quote": quote, "reaction_date": r["reaction_date"],
                     "date_confidence": r["date_confidence"] if quote else "",
                     "note": r["note"], "sources": reg.ids(split_urls(r["sources"]))})
    check_unique(rows, "organization_id")
    return rows


def build_events(timeline: list[dict], reg: SourceRegistry) -> list[dict]:
    rows = []
    for e in timeline:
        public, note = EVENT_PUBLIC.get((e["date"], e["category"]), (e["date"], ""))
        urls = split_urls(e["sources"])
        rows.append({"event_id": content_id("e", e["date"], e["category"], e["event"]),
                     "event_key": event_key(e), "date": e["date"], "date_public": public,
                     "date_public_note": note, "event": e["event"], "category": e["category"],
                     "single_source": len(urls) == 1 or "single-source" in e["event"],
                     "sources": reg.ids(urls)})
    check_unique(rows, "event_id")
    found = [r["event_key"] for r in rows if r["event_key"]]
    if sorted(found) != sorted(EVENT_KEYS):
        raise SystemExit(f"event keys matched {sorted(found)}, expected each of "
                         f"{sorted(EVENT_KEYS)} once: check EVENT_KEYS against timeline.csv")
    return rows


def source_notes(letter: dict) -> dict[str, str]:
    fta = letter["full_text_availability"]
    notes = {c["url"]: f"Assessment: {c['assessment']}" for c in fta["faithful_copies"]}
    notes.update({c["url"]: f"Problem: {c['problem']}" for c in fta["unreliable_copies"]})
    return notes


# --- Writing -----------------------------------------------------------------------------------

def to_csv(rows: list[dict], fields: list[str]) -> bytes:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=fields, lineterminator="\n", extrasaction="raise")
    w.writeheader()
    for r in rows:
        w.writerow({k: ("true" if v is True else "false" if v is False else v)
                    for k, v in r.items()})
    return buf.getvalue().encode("utf-8")


def build(src: Path, additions: Path = ADDITIONS) -> dict[str, bytes]:
    """Return {relative path: bytes} for every file of the data package."""
    publishers = {r["domain"]: r for r in read_csv(HERE.parent / "build" / "publishers.csv")}
    letter = json.loads((src / "letter" / "letter.json").read_text(encoding="utf-8"))
    more = json.loads((src / "letter" / "withdrawal_statement_more.json").read_text(
        encoding="utf-8"))
    timeline = read_csv(src / "letter" / "timeline.csv")
    reg = SourceRegistry(publishers, source_notes(letter))
    members = build_members(src, reg)
    rollcalls = build_rollcalls(src, reg, timeline)
    tables = {
        "members": members,
        "signatories": build_signatories(src, reg),
        "rollcalls": rollcalls,
        "house_votes": build_house_votes(src, reg, rollcalls),
        "senate_votes": build_senate_votes(src, reg, rollcalls),
        "letter_passages": (passages := build_letter_passages(letter, reg)),
        "letter_drafts": build_letter_drafts(passages, reg),
        "statements": build_statements(letter, more, reg),
        "responses": build_responses(src, reg, members, additions),
        "organizations": build_organizations(additions, reg),
        "events": build_events(timeline, reg),
    }
    for url in [u["url"] for u in letter["full_text_availability"]["unreliable_copies"]]:
        reg.add(url)  # listed so that readers can recognise them
    for url in CLAIM_SOURCES:
        reg.add(url)  # reports whose claims the lessons check against the record
    tables["sources"] = reg.rows()

    files: dict[str, bytes] = {}
    resources = []
    for spec in RESOURCES:
        fields = [fd["name"] for fd in spec["schema"]["fields"]]
        data = to_csv(tables[spec["name"]], fields)
        path = f"{spec['name']}.csv"
        files[path] = data
        res = {
            "name": spec["name"], "type": "table", "path": path, "scheme": "file",
            "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
            "title": spec["title"], "description": spec["description"],
            "unit": spec["unit"], "caveats": spec["caveats"],
            "hash": "sha256:" + hashlib.sha256(data).hexdigest(), "bytes": len(data),
            "sources": PROVENANCE[spec["name"]][0], "licenses": PROVENANCE[spec["name"]][1],
            "schema": spec["schema"],
        }
        res["schema"] = {**spec["schema"], "missingValues": [""]}
        resources.append(res)
    package = {
        "$schema": "https://datapackage.org/profiles/2.0/datapackage.json",
        "name": "policykit-cpc-ukraine-letter-2022",
        "title": "The October 2022 Progressive Caucus letter on Ukraine: text, signers, votes, "
                 "responses and timeline",
        "description": "Curated, sourced tables about the letter of 24 October 2022 from 30 "
                       "House Democrats to President Biden on diplomacy over the war in "
                       "Ukraine, its withdrawal, the reactions, and the 2022 Ukraine aid votes.",
        "version": PACKAGE_VERSION,
        "licenses": [
            {"name": "public-domain", "title": "US government works (roll-call records)"},
            {"name": "unknown", "title": "Voteview data: licence terms not stated; credit "
             "Lewis, Poole, Rosenthal, Boche, Rudkin and Sonnet, Voteview."},
            {"name": "CC-BY-4.0", "title": "Curation and classifications by the policykit "
             "authors", "path": "https://creativecommons.org/licenses/by/4.0/"},
        ],
        "sources": [CLERK, SENATE, VOTEVIEW, SCRAPER, CITED],
        "resources": resources,
        # What each table is, for the library (roles, labels, named events): see CASES in
        # the case authors' guide. Curated in the case folder, copied verbatim.
        "policykit": json.loads((OUT / "case.json").read_text(encoding="utf-8")),
    }
    files["datapackage.json"] = (json.dumps(package, indent=2, ensure_ascii=False) + "\n"
                                 ).encode("utf-8")
    return files


# --- Provenance of each table (written into datapackage.json as Frictionless `sources` and
# `licenses`; the loaders, describe() and cite() read them from there) --------------------------

CLERK = {"title": "Office of the Clerk, U.S. House of Representatives: roll-call votes",
         "path": "https://clerk.house.gov/Votes"}
SENATE = {"title": "U.S. Senate: roll-call votes",
          "path": "https://www.senate.gov/legislative/votes_new.htm"}
VOTEVIEW = {"title": "Lewis, Jeffrey B., Keith Poole, Howard Rosenthal, Adam Boche, Aaron "
            "Rudkin, and Luke Sonnet. Voteview: Congressional Roll-Call Votes Database.",
            "path": "https://voteview.com/"}
SCRAPER = {"title": "Roll-call files in the format of the public-domain unitedstates/congress "
           "scraper (b-j-roberts/legislator-search-hackathon)",
           "path": "https://github.com/b-j-roberts/legislator-search-hackathon"}
CITED = {"title": "News reports and official statements: each row's `sources` column lists "
         "the ids of the documents it rests on; policykit.load('sources') resolves them to "
         "URLs", "path": "sources.csv"}
COMPILED = {"title": "Compiled by the policykit authors from the documents the other tables "
            "cite"}
PUBLIC_DOMAIN = {"name": "public-domain", "title": "US government works"}
VOTEVIEW_TERMS = {"name": "unknown", "title": "Voteview: licence terms not stated; credit the "
                  "authors"}
CURATION = {"name": "CC-BY-4.0", "title": "Curation by the policykit authors; quotes remain "
            "their speakers' words", "path": "https://creativecommons.org/licenses/by/4.0/"}

PROVENANCE = {  # table -> (sources, licenses)
    "members": ([VOTEVIEW], [VOTEVIEW_TERMS]),
    "signatories": ([CITED], [CURATION]),
    "rollcalls": ([CLERK, SENATE, SCRAPER, CITED], [PUBLIC_DOMAIN, CURATION]),
    "house_votes": ([CLERK], [PUBLIC_DOMAIN]),
    "senate_votes": ([SENATE], [PUBLIC_DOMAIN]),
    "letter_passages": ([CITED], [CURATION]),
    "letter_drafts": ([CITED], [CURATION]),
    "statements": ([CITED], [CURATION]),
    "responses": ([CITED], [CURATION]),
    "organizations": ([CITED], [CURATION]),
    "events": ([CITED], [CURATION]),
    "sources": ([COMPILED], [CURATION]),
}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sources", type=Path, default=DEFAULT_SOURCES,
                   help="folder of raw sources (default: ../shared/sources)")
    p.add_argument("--additions", type=Path, default=ADDITIONS,
                   help="folder of sourced additions (default: datasets/scripts/additions)")
    p.add_argument("--out", type=Path, default=OUT,
                   help="output folder (default: datasets/cpc_letter_2022/)")
    p.add_argument("--check", action="store_true",
                   help="do not write; exit 1 if any file would change")
    args = p.parse_args(argv)
    files = build(args.sources, args.additions)
    changed = [n for n, data in files.items()
               if not (args.out / n).exists() or (args.out / n).read_bytes() != data]
    if args.check:
        for n in changed:
            print(f"would change: {n}")
        return 1 if changed else 0
    for n, data in files.items():
        (args.out / n).write_bytes(data)
    print(f"wrote {len(files)} files to {args.out} ({len(changed)} changed)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
