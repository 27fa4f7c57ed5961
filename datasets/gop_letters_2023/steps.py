"""Build steps of case 2 (gop_letters_2023): the 2023 Republican letters against Ukraine aid.

Raw material: ``../shared/sources/case2`` (read its README). Curated decisions live in
``curation/`` (each file says its source or reason; see curation/README.md). Every step below
is a small function returning rows; the build stops (``BuildError``) when a check fails:
member totals and party splits against the record's totals for all 10 roll calls, the signers'
positions against ``signatory_votes.csv``, each member's signer flags against the named lists,
the counts of named and missing signers, and the positions the vote notes describe.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from pathlib import Path

from buildkit import (
    CLERK,
    COMPILED,
    CURATION,
    PUBLIC_DOMAIN,
    SENATE,
    BuildError,
    check_unique,
    content_id,
    github_url,
    load_module,
    split_urls,
)

SOURCES = "case2"
_schema = load_module(Path(__file__).resolve().parent / "schema.py")
RESOURCES = _schema.RESOURCES

SCRAPER = {"title": "Roll-call files in the format of the public-domain unitedstates/congress "
           "scraper (b-j-roberts/legislator-search-hackathon); cross-checked with "
           "Hear-Ye/congress-data",
           "path": "https://github.com/b-j-roberts/legislator-search-hackathon"}
LEGISLATORS = {"title": "unitedstates/congress-legislators (member names and ids)",
               "path": "https://github.com/unitedstates/congress-legislators"}
CITED = {"title": "News reports and official statements: each row's `sources` column lists "
         "the ids of the documents it rests on; the `sources` table resolves them to URLs",
         "path": "sources.csv"}
CC0 = {"name": "CC0-1.0", "title": "unitedstates/congress-legislators",
       "path": "https://creativecommons.org/publicdomain/zero/1.0/"}

PACKAGE = {
    "name": "policykit-gop-ukraine-letters-2023",
    "title": "The 2023 Republican letters against Ukraine aid: signers, text, votes of "
             "2023-2024, responses and timeline",
    "description": "Curated, sourced tables about two letters in which Republican members of "
                   "Congress said they would oppose further Ukraine aid (19 signers on "
                   "2023-04-20, led by Sen. Mike Lee and Rep. Eli Crane; 29 reported on "
                   "2023-09-21, led by Sen. J.D. Vance and Rep. Chip Roy, of whom only 15 are "
                   "named), and every member's position on 10 roll calls of 2023-2024.",
    "version": "1.0.0",
    "licenses": [
        {"name": "public-domain", "title": "US government works (roll-call records)"},
        {"name": "CC0-1.0", "title": "unitedstates/congress-legislators (member ids)",
         "path": "https://creativecommons.org/publicdomain/zero/1.0/"},
        {"name": "CC-BY-4.0", "title": "Curation and classifications by the policykit "
         "authors", "path": "https://creativecommons.org/licenses/by/4.0/"},
    ],
    "sources": [CLERK, SENATE, SCRAPER, LEGISLATORS, CITED],
}

PROVENANCE = {  # table -> (sources, licenses)
    "members": ([CLERK, SENATE, LEGISLATORS], [PUBLIC_DOMAIN, CC0]),
    "signatories": ([CITED, LEGISLATORS, CLERK, SENATE], [CURATION, CC0, PUBLIC_DOMAIN]),
    "letters": ([CITED], [CURATION]),
    "signatures": ([CITED], [CURATION]),
    "signer_count_reports": ([CITED], [CURATION]),
    "letter_passages": ([CITED], [CURATION]),
    "letter_drafts": ([CITED], [CURATION]),
    "condition_evidence": ([CITED], [CURATION]),
    "related_documents": ([CITED], [CURATION]),
    "rollcalls": ([CLERK, SENATE, SCRAPER, CITED], [PUBLIC_DOMAIN, CURATION]),
    "house_votes": ([CLERK, SCRAPER], [PUBLIC_DOMAIN]),
    "senate_votes": ([SENATE, SCRAPER], [PUBLIC_DOMAIN]),
    "vote_notes": ([CLERK, SENATE, CITED], [PUBLIC_DOMAIN, CURATION]),
    "responses": ([CITED], [CURATION]),
    "events": ([CITED], [CURATION]),
    "discrepancies": ([CLERK, SENATE, CITED], [PUBLIC_DOMAIN, CURATION]),
    "sources": ([COMPILED], [CURATION]),
}

LETTER_B, LETTER_A = _schema.LETTER_IDS  # 2023-04-20 (Lee/Crane), 2023-09-21 (Vance/Roy)
SIGNED_COLUMN = {LETTER_B: "signed_2023_04_20", LETTER_A: "signed_2023_09_21"}
RAW_SIGNED_COLUMN = {LETTER_B: "signed_letter_2023_04_20", LETTER_A: "signed_letter_2023_09_21"}
YES_NO = {"Y": "yes", "N": "no", "unknown": "unknown"}
PARTY_PREFIX = {"D": "dem", "R": "rep", "I": "ind"}
POSITION_SUFFIX = {"Yea": "yea", "Nay": "nay", "Present": "present", "Not Voting": "not_voting"}
# responses.csv calls Ukraine's officials 'ukraine'; case 1's vocabulary for the same concept
# (a foreign government's officials) is 'foreign_government'.
ACTOR_TYPE = {"ukraine": "foreign_government"}


# --- Helpers -----------------------------------------------------------------------------------

def urls_in(text: str) -> list[str]:
    """The URLs in a free-text list such as 'URL (note);URL (note; more)'."""
    return re.findall(r"https?://[^\s;]+", text)


def yes(value: str) -> bool:
    return value.strip().lower() in {"true", "y", "yes"}


def unreliable_hosts(ctx) -> set[str]:
    """Hosts whose reliability note says UNRELIABLE: never a source of wording."""
    out = {h for h, p in ctx.registry.publishers.items()
           if p["reliability_note"].startswith("UNRELIABLE")}
    return out


def wording_sources(ctx, urls: list[str], what: str) -> list[str]:
    """Drop UNRELIABLE copies from the sources of a quoted wording (reported by the build)."""
    bad = unreliable_hosts(ctx)
    kept = [u for u in urls if u.split("/")[2] not in bad and not ctx.registry.notes.get(
        u, "").startswith("UNRELIABLE")]
    for u in urls:
        if u not in kept:
            ctx.note(f"{what}: not used for wording: {u}")
    if not kept:
        raise BuildError(f"{what}: every source of this wording is an UNRELIABLE copy")
    return kept


def apply_source_pages(ctx) -> None:
    """curation/source_pages.csv: one page's provenance or note where it differs from its host."""
    for r in ctx.curated_csv("source_pages.csv"):
        if r["provenance"]:
            ctx.registry.url_provenance[r["url"]] = (r["provenance"], r["reposted_from"])
        if r["note"]:
            ctx.registry.notes[r["url"]] = r["note"]


def sources_table(ctx) -> list[dict]:
    """The registry's sources, with curation/source_pages.csv's corrections of a page its host's
    line does not describe: another publisher, or (host_note 'replace') a host note that does not
    hold for the page, which then carries its own note alone."""
    pages = {r["url"]: r for r in ctx.curated_csv("source_pages.csv")}
    rows = ctx.registry.rows()
    for row in rows:
        page = pages.get(row["url"])
        if page is None:
            continue
        if page["publisher"]:
            row["publisher"] = page["publisher"]
        if page["host_note"] == "replace":
            if not page["note"]:
                raise BuildError(f"curation/source_pages.csv: {row['url']} replaces its host's "
                                 "note with an empty one")
            row["reliability_note"] = page["note"]
        elif page["host_note"]:
            raise BuildError(f"curation/source_pages.csv: host_note is 'replace' or empty, not "
                             f"{page['host_note']!r}")
    return rows


# --- Members and votes -------------------------------------------------------------------------

def build_members(votes: list[dict], signatures: list[dict], ctx) -> list[dict]:
    seen: dict[str, dict] = {}
    mapping: dict[str, set[str]] = defaultdict(set)
    for v in votes:
        fields = (v["name"], v["chamber"], v["party"], v["state"],
                  v["district"], v["at_large"], v["lis_id"], v["signed_letter_2023_04_20"],
                  v["signed_letter_2023_09_21"])
        if v["bioguide_id"] in seen and seen[v["bioguide_id"]]["fields"] != fields:
            raise BuildError(f"votes.csv: {v['bioguide_id']} is recorded with different "
                             f"details on different roll calls: {fields}")
        seen[v["bioguide_id"]] = {"fields": fields, "row": v}
        mapping[v["bioguide_id"]].add(github_url(v["name_mapping_source"]))
    named = {(s["letter_id"], s["bioguide_id"]) for s in signatures}
    rows = []
    for bid, item in seen.items():
        v = item["row"]
        row = {"bioguide_id": bid, "name": v["name"], "chamber": v["chamber"],
               "party": v["party"], "state": v["state"], "district": v["district"],
               "at_large": v["at_large"] == "Y", "lis_member_id": v["lis_id"]}
        for letter in (LETTER_B, LETTER_A):
            flag = YES_NO[v[RAW_SIGNED_COLUMN[letter]]]
            if (flag == "yes") != ((letter, bid) in named):
                raise BuildError(f"votes.csv flags {bid} as {flag!r} for {letter}, but the "
                                 "named signer list (signatories.csv) disagrees")
            if flag == "unknown" and (letter != LETTER_A or v["chamber"] != "House"):
                raise BuildError(f"{bid}: 'unknown' is only possible for House members on "
                                 f"the incomplete list of {LETTER_A}")
            row[SIGNED_COLUMN[letter]] = flag
        row["sources"] = ctx.ids(sorted(mapping[bid]))
        rows.append(row)
    return sorted(rows, key=lambda r: (r["chamber"], r["state"], int(r["district"] or 0),
                                       r["bioguide_id"]))


def check_rollcall_totals(rollcalls: list[dict], votes: list[dict]) -> None:
    """Member positions must add up to the record's totals and party splits on every roll call."""
    by_key: dict[str, Counter] = defaultdict(Counter)
    for v in votes:
        by_key[v["vote_key"]][v["position"]] += 1
        by_key[v["vote_key"]][(v["party"], v["position"])] += 1
    for rc in rollcalls:
        counts = by_key[rc["vote_key"]]
        for pos, suffix in POSITION_SUFFIX.items():
            if counts[pos] != int(rc[suffix]):
                raise BuildError(f"{rc['vote_key']}: {counts[pos]} member records say {pos!r}, "
                                 f"the record's total is {rc[suffix]}")
            total = 0
            for party, prefix in PARTY_PREFIX.items():
                got, want = counts[(party, pos)], int(rc[f"{prefix}_{suffix}"] or 0)
                if got != want:
                    raise BuildError(f"{rc['vote_key']}: {got} {party} member records say "
                                     f"{pos!r}; the party split gives {want}")
                total += want
            if total != int(rc[suffix]):
                raise BuildError(f"{rc['vote_key']}: the party splits of {pos!r} sum to "
                                 f"{total}, not the total {rc[suffix]}")


def build_rollcalls(ctx, votes: list[dict]) -> list[dict]:
    raw = ctx.source_csv("rollcalls.csv")
    check_rollcall_totals(raw, votes)
    curated = {r["vote_key"]: r for r in ctx.curated_csv("rollcalls.csv")}
    differ = sorted(set(curated) ^ {r["vote_key"] for r in raw})
    if differ:
        raise BuildError("curation/rollcalls.csv must have one row per roll call of "
                         f"rollcalls.csv; differs by {differ}")
    rows = []
    for r in raw:
        c = curated[r["vote_key"]]
        vehicle = "vehicle bill" in r["title_in_record"]
        if vehicle != yes(c["vehicle_bill"]):
            raise BuildError(f"{r['vote_key']}: curation/rollcalls.csv vehicle_bill disagrees "
                             "with the record title's '(vehicle bill ...)' note")
        urls = [r["official_xml_url"], github_url(r["data_source"])]
        if r["cross_check"]:
            urls.append(github_url(r["cross_check"]))
        urls += urls_in(r["news_corroboration"]) + split_urls(c["aid_sources"])
        urls = list(dict.fromkeys(urls))
        rows.append({
            "vote_key": r["vote_key"], "chamber": r["chamber"], "congress": r["congress"],
            "session": r["session"], "roll": r["roll"], "date": r["date"],
            "time_local": r["time_local"], "bill": r["bill"], "label": r["label"],
            "clerk_title": r["title_in_record"] if r["chamber"] == "House" else "",
            "title_in_record": r["title_in_record"], "vehicle_bill": vehicle,
            "short_title": c["short_title"], "display_title": c["display_title"],
            "enacted_as": r["enacted_as"], "question": r["question"], "result": r["result"],
            "majority_required": r["majority_required"], "tier": r["tier"],
            **{k: r[k] for k in ("yea", "nay", "present", "not_voting")},
            **{f"{p}_{s}": r[f"{p}_{s}"] for p in PARTY_PREFIX.values()
               for s in POSITION_SUFFIX.values()},
            "aid_usd_billion": c["aid_usd_billion"], "aid_note": c["aid_note"],
            "public_law": r["public_law"], "signed": r["signed"],
            "source_url": r["official_xml_url"], "cross_check": r["cross_check"],
            "notes": r["notes"], "sources": ctx.ids(urls),
        })
    return sorted(rows, key=lambda r: (r["chamber"], r["date"], int(r["roll"])))


def vote_sources(ctx, v: dict) -> str:
    return ctx.ids([v["official_xml_url"], github_url(v["data_source"])])


def build_house_votes(ctx, votes: list[dict], rollcalls: list[dict]) -> list[dict]:
    order = {r["vote_key"]: i for i, r in enumerate(rollcalls)}
    rows = [{"vote_key": v["vote_key"], "bioguide_id": v["bioguide_id"], "party": v["party"],
             "state": v["state"], "district": v["district"], "position": v["position"],
             "sources": vote_sources(ctx, v)}
            for v in votes if v["chamber"] == "House"]
    return sorted(rows, key=lambda r: (order[r["vote_key"]], r["bioguide_id"]))


def build_senate_votes(ctx, votes: list[dict], rollcalls: list[dict]) -> list[dict]:
    order = {r["vote_key"]: i for i, r in enumerate(rollcalls)}
    rows = [{"vote_key": v["vote_key"], "bioguide_id": v["bioguide_id"],
             "lis_member_id": v["lis_id"], "name": v["name"], "party": v["party"],
             "state": v["state"], "position": v["position"], "sources": vote_sources(ctx, v)}
            for v in votes if v["chamber"] == "Senate"]
    return sorted(rows, key=lambda r: (order[r["vote_key"]], r["bioguide_id"]))


def check_signatory_votes(ctx, votes: list[dict], rollcalls: list[dict]) -> None:
    """signatory_votes.csv (the sources' per-signer summary) must agree with votes.csv."""
    key_of = {(r["chamber"].lower(), int(r["roll"])): r["vote_key"] for r in rollcalls}
    pos = {(v["vote_key"], v["bioguide_id"]): v["position"] for v in votes}
    for s in ctx.source_csv("signatory_votes.csv"):
        for col, value in s.items():
            m = re.match(r"(house|senate)_\d{4}-\d{2}-\d{2}_roll(\d+)_", col)
            if not m:
                continue
            key = key_of[(m.group(1), int(m.group(2)))]
            got = pos.get((key, s["bioguide_id"]), "(other chamber)")
            if got != value:
                raise BuildError(f"signatory_votes.csv: {s['name_full']} on {key} is "
                                 f"{value!r}; votes.csv says {got!r}")


# --- Signers and letters -----------------------------------------------------------------------

def build_signatures(ctx) -> list[dict]:
    rows = []
    for s in ctx.source_csv("signatories.csv"):
        single = s["single_source_flag"].startswith("Y")
        if single != (s["independent_sources"] in {"single", "official+0"}):
            raise BuildError(f"signatories.csv: {s['name_full']} on {s['letter_id']}: "
                             "single_source_flag disagrees with independent_sources")
        rows.append({"letter_id": s["letter_id"], "bioguide_id": s["bioguide_id"],
                     "name": s["name_full"], "chamber": s["chamber"],
                     "role": "lead" if s["role"].startswith("lead") else "signer",
                     "independent_sources": s["independent_sources"],
                     "single_source": single, "notes": s["notes"],
                     "sources": ctx.ids(split_urls(s["sources"])), "_raw": s})
    order = {LETTER_B: 0, LETTER_A: 1}
    rows.sort(key=lambda r: (order[r["letter_id"]], r["role"] != "lead", r["chamber"],
                             r["name"]))
    return rows


def record_names(votes: list[dict], members: set[str]) -> dict[str, tuple[str, str]]:
    """bioguide_id -> (the name the roll-call records print, the record's official XML URL),
    for the given members, each of whom must be printed under one name on every roll call.

    The House Clerk prints a surname, with the state where two members share it
    ('Bishop (NC)'); that text is kept as printed. The Senate prints 'Lee (R-UT)': its surname
    is the text before the party and state, which must be the member's own.
    """
    found: dict[str, dict[str, str]] = defaultdict(dict)
    for v in votes:  # votes.csv order: the first roll call a member is on cites the name
        if v["bioguide_id"] not in members:
            continue
        name = v["record_name"]
        if v["chamber"] == "Senate":
            m = re.fullmatch(r"(.+) \(([DRI])-([A-Z]{2})\)", name)
            if not m or (m.group(2), m.group(3)) != (v["party"], v["state"]):
                raise BuildError(f"votes.csv: Senate record name {name!r} of "
                                 f"{v['bioguide_id']} is not 'Surname (party-state)'")
            name = m.group(1)
        found[v["bioguide_id"]].setdefault(name, v["official_xml_url"])
    out = {}
    for bid, names in found.items():
        if len(names) != 1:
            raise BuildError(f"votes.csv: {bid} is printed under {len(names)} names: "
                             f"{sorted(names)}")
        out[bid] = next(iter(names.items()))
    return out


def build_signatories(ctx, signatures: list[dict], votes: list[dict]) -> list[dict]:
    by_member: dict[str, list[dict]] = defaultdict(list)
    for s in signatures:
        by_member[s["bioguide_id"]].append(s)
    record = record_names(votes, set(by_member))
    rows = []
    for bid, sigs in by_member.items():
        raws = [s["_raw"] for s in sigs]
        same = {k: {r[k] for r in raws} for k in ("name_full", "last_name", "chamber", "party",
                                                   "state", "district", "lis_id", "icpsr")}
        if any(len(v) != 1 for v in same.values()):
            raise BuildError(f"signatories.csv: {bid} is described differently on the two "
                             f"letters: {same}")
        letters = [s["letter_id"] for s in sigs]
        led = [s["letter_id"] for s in sigs if s["role"] == "lead"]
        single = [s["letter_id"] for s in sigs if s["single_source"]]
        urls = [u for s in raws for u in split_urls(s["sources"])]
        urls += [github_url(s["id_source"]) for s in raws]
        if bid not in record:
            raise BuildError(f"signatories.csv: {bid} ({raws[0]['name_full']}) is on no roll "
                             "call of votes.csv, so the record's name is unknown")
        record_name, record_url = record[bid]
        urls.append(record_url)
        r = raws[0]
        rows.append({
            "bioguide_id": bid, "name": r["name_full"], "last_name": r["last_name"],
            "record_name": record_name,
            "chamber": r["chamber"], "party": r["party"], "state": r["state"],
            "district": r["district"], "lis_member_id": r["lis_id"], "icpsr": r["icpsr"],
            "lead_signer": bool(led), "led_letters": ";".join(led),
            "letters": ";".join(letters), "signed_2023_04_20": LETTER_B in letters,
            "signed_2023_09_21": LETTER_A in letters, "signed_both": len(letters) == 2,
            "corroboration": "single" if single else "multiple",
            "single_source_letters": ";".join(single),
            "notes": " ".join(f"{s['letter_id']}: {s['notes']}" for s in sigs if s["notes"]),
            "sources": ctx.ids(list(dict.fromkeys(urls))),
        })
    return rows


def _breakdown(text: str) -> tuple[int, int]:
    m = re.match(r"(\d+) senators.*?\+ (\d+) House members", text)
    if not m:
        raise BuildError(f"letter.json: cannot read the breakdown {text!r}")
    return int(m.group(1)), int(m.group(2))


def build_letters(ctx, letter_json: dict, signatures: list[dict]) -> list[dict]:
    curated = {r["letter_id"]: r for r in ctx.curated_csv("letters.csv")}
    rows = []
    for L in letter_json["letters"]:
        lid = L["id"]
        c = curated[lid]
        sigs = [s for s in signatures if s["letter_id"] == lid]
        senate, house = _breakdown(L["signatory_count_breakdown"])
        if senate + house != L["signatory_count"]:
            raise BuildError(f"{lid}: breakdown {senate} + {house} != {L['signatory_count']}")
        named = len(sigs)
        named_senate = sum(s["chamber"] == "Senate" for s in sigs)
        missing = L["signatory_count"] - named
        if "signers_named_in_stored_sources" in L and \
                L["signers_named_in_stored_sources"] != named:
            raise BuildError(f"{lid}: {named} named signers, letter.json says "
                             f"{L['signers_named_in_stored_sources']}")
        if missing and not L.get("signers_not_identified", "").startswith(f"{missing} of the "
                                                                          f"{house} House"):
            raise BuildError(f"{lid}: {missing} signers missing; letter.json says "
                             f"{L.get('signers_not_identified')!r}")
        leads = [s["bioguide_id"] for s in sorted(sigs, key=lambda s: s["chamber"] != "Senate")
                 if s["role"] == "lead"]  # Senate lead first, as letter.json lists them
        urls = [*L.get("date_sent_sources", []), *L.get("date_sources", []),
                *L["leads_sources"], *L["addressee_sources"], *L["signatory_count_sources"],
                *L["title_sources"], *L.get("signer_list_note_sources", []),
                *L.get("letter_text_sources", [])]
        if lid == LETTER_B:
            list_note = L["signer_list_source"]
            text_note = L["letter_text_available"]
        else:
            list_note = (f"Not identified: {L['signers_not_identified']}. "
                         f"{L['signer_list_note']}")
            text_note = ("Quoted sentences of the sent letter and of a draft; the full text "
                         f"was not found. {L['wall_street_journal_copy']}")
        rows.append({
            "letter_id": lid, "label": c["label"], "primary": yes(c["primary"]),
            "role_in_case": L["role_in_case"], "date_sent": L["date_sent"],
            "date_on_letter": L["date_on_letter"], "addressee": L["addressee"],
            "leads": "; ".join(L["leads"]), "lead_bioguide_ids": ";".join(leads),
            "title_or_subject": L["title_or_subject"],
            "signers_reported": L["signatory_count"], "signers_reported_senate": senate,
            "signers_reported_house": house, "signers_named": named,
            "signers_named_senate": named_senate, "signers_named_house": named - named_senate,
            "signer_count_variants": "; ".join(
                str(v["value"]) for v in L.get("signatory_count_variants", [])),
            "signers_missing": missing, "list_complete": missing == 0,
            "list_note": list_note, "what_it_asked": " ".join(L["what_it_asked"]),
            "text_available": text_note, "sources": ctx.ids(list(dict.fromkeys(urls))),
        })
    order = {LETTER_B: 0, LETTER_A: 1}
    return sorted(rows, key=lambda r: order[r["letter_id"]])


def build_count_reports(ctx, letter_json: dict, letters: list[dict]) -> list[dict]:
    label = {r["letter_id"]: r["label"] for r in letters}
    rows = []
    for L in letter_json["letters"]:
        lid = L["id"]
        items = [(str(L["signatory_count"]), L["signatory_count"],
                  L["signatory_count_breakdown"], True, "The count most reports give.",
                  L["signatory_count_sources"])]
        for v in L.get("signatory_count_variants", []):
            value = v["value"]
            items.append((str(value), value if isinstance(value, int) else "", "", False,
                          v["note"], v["sources"]))
        for reported, count, breakdown, accepted, note, urls in items:
            rows.append({"report_id": content_id("n", "", label[lid], lid, reported),
                         "letter_id": lid, "reported": reported, "count": count,
                         "breakdown": breakdown, "accepted": accepted, "note": note,
                         "sources": ctx.ids(urls)})
    check_unique(rows, "report_id")
    return rows


def build_passages(ctx, letter_json: dict) -> list[dict]:
    key_starts = {r["letter_id"]: r["key_sentence"] for r in ctx.curated_csv("letters.csv")}
    rows = []
    for L in letter_json["letters"]:
        for q in L["exact_quotes"]:
            text = q["text"]
            urls = wording_sources(ctx, q["sources"], f"passage {text[:40]!r}")
            variant_urls = [*q.get("variant_sources", [])]
            if q.get("longer_form_source"):
                variant_urls.append(q["longer_form_source"])
            notes = [q.get("note", "")]
            if len(urls) < len(q["sources"]):
                notes.append("Sources that misattribute or garble it are not used for its "
                             "wording.")
            # Part of a longer sentence: cut at its end, or begun mid-sentence (lower case).
            whole = text.rstrip().endswith((".", "?", "!")) and not text[0].islower()
            rows.append({
                "letter_id": L["id"],
                "kind": "sentence" if len(text.split()) > 4 else "phrase",
                "key_sentence": text.startswith(key_starts[L["id"]]),
                "text": text, "truncated": not whole,
                "single_source": len(urls) == 1,
                "variant_note": q.get("variant", ""),
                "variant_sources": ctx.ids(variant_urls) if variant_urls else "",
                "note": " ".join(n for n in notes if n), "sources": ctx.ids(urls),
            })
    for r in rows:
        first_words = " ".join(re.findall(r"[A-Za-z']+", r["text"])[:2]).replace("'", "")
        r["passage_id"] = content_id("p", "", first_words, r["text"])
    check_unique(rows, "passage_id")
    for lid, start in key_starts.items():
        if sum(r["key_sentence"] for r in rows if r["letter_id"] == lid) != 1:
            raise BuildError(f"{lid}: expected one key sentence starting {start!r}")
    return rows


def build_drafts(ctx, letter_json: dict, passages: list[dict]) -> list[dict]:
    letter_a = next(L for L in letter_json["letters"] if L["id"] == LETTER_A)
    draft = letter_a["draft"]
    texts = [q["text"] for q in draft["exact_quotes"]
             if "not letter text" not in q.get("note", "")]
    texts += [q["text"] for q in letter_a["exact_quotes"]
              if "identical sentence in the draft copy" in q.get("note", "")]
    rows = []
    for c in ctx.curated_csv("letter_drafts.csv"):
        hits = [t for t in texts if t.startswith(c["text_starts"])]
        released = [p["passage_id"] for p in passages
                    if p["letter_id"] == LETTER_A and p["text"].startswith(c["released_starts"])]
        if len(hits) != 1 or len(released) != 1:
            raise BuildError(f"curation/letter_drafts.csv {c['text_starts']!r}: found drafts "
                             f"{hits} and released passages {released}")
        text = hits[0]
        first_words = " ".join(re.findall(r"[A-Za-z']+", text)[:2]).replace("'", "")
        rows.append({"draft_id": content_id("d", "", first_words, text),
                     "letter_id": LETTER_A, "quoted_on": c["quoted_on"],
                     "quoted_by": c["quoted_by"], "text": text,
                     "released_passage_id": released[0],
                     "comparison_note": c["comparison_note"] or draft["draft_vs_final"],
                     "sources": ctx.ids([c["source_url"]])})
    check_unique(rows, "draft_id")
    return rows


def build_condition_evidence(ctx, readme: str, passages: list[dict],
                             responses: list[dict]) -> list[dict]:
    """curation/condition_evidence.csv; each quote must stand verbatim in the sources' README
    or in responses."""
    key = {p["letter_id"]: p["passage_id"] for p in passages if p["key_sentence"]}
    rows = []
    for c in ctx.curated_csv("condition_evidence.csv"):
        rid = ""
        if c["response_starts"]:
            hits = [r for r in responses if r["quote"].startswith(c["response_starts"])]
            if len(hits) != 1 or hits[0]["quote"] != c["quote"]:
                raise BuildError(f"curation/condition_evidence.csv: {c['quote'][:40]!r} is "
                                 "not exactly one quote of responses")
            rid = hits[0]["response_id"]
        elif f'"{c["quote"]}"' not in " ".join(readme.split()):
            raise BuildError(f"curation/condition_evidence.csv: {c['quote'][:40]!r} is not "
                             "quoted verbatim in the sources' README")
        rows.append({"evidence_id": content_id("c", "", c["speaker"].split(" (")[0],
                                               c["speaker"], c["quote"]),
                     "letter_id": c["letter_id"], "condition_passage_id": key[c["letter_id"]],
                     "speaker": c["speaker"], "quote": c["quote"], "date": c["date"],
                     "date_note": c["date_note"], "what_it_shows": c["what_it_shows"],
                     "response_id": rid,
                     "judgement_note": "Whether this met the letter's condition is a judgement "
                     "for students, not a fact (the sources' README).",
                     "sources": ctx.ids(split_urls(c["sources"]))})
    check_unique(rows, "evidence_id")
    return rows


def build_related_documents(ctx, letter_json: dict) -> list[dict]:
    rows = []
    for d in ctx.curated_csv("related_documents.csv"):
        if d["source_key"] == "request_opposed":
            raw = letter_json["request_opposed"]
            summary, quote = raw["what"], raw["exact_quote"]
        else:
            raw = letter_json["other_letters_seen_not_used"][int(d["source_key"].split(":")[1])]
            summary, quote = raw["what"], ""
        urls = [u for u in raw["sources"] if u.split("/")[2] not in unreliable_hosts(ctx)]
        for u in set(raw["sources"]) - set(urls):
            ctx.registry.add(u)  # listed in sources (labelled UNRELIABLE), not cited
        rows.append({"document_key": d["document_key"], "date": d["date"],
                     "date_note": d["date_note"], "kind": d["kind"], "author": d["author"],
                     "addressee": d["addressee"], "summary": summary, "exact_quote": quote,
                     "use_in_case": d["use_in_case"], "sources": ctx.ids(urls)})
    return rows


# --- Responses, notes, events, discrepancies ---------------------------------------------------

def parse_date(raw: str) -> tuple[str, str, str, bool]:
    """(date, id date, date_note, from a report) from responses.csv's date text."""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
        return raw, raw, "", False
    m = re.match(r"(\d{4}-\d{2}-\d{2}) \(", raw)
    if m:
        return m.group(1), m.group(1), raw, False
    m = re.search(r"reported (\d{4}-\d{2}-\d{2})", raw)
    if m:
        return m.group(1), m.group(1), raw, True
    m = re.match(r"(\d{4}-\d{2}) ", raw)
    if m:
        return "", m.group(1), raw, False
    raise BuildError(f"responses.csv: cannot read the date {raw!r}")


def build_responses(ctx, members: dict[str, dict]) -> list[dict]:
    speakers = {r["speaker"]: r for r in ctx.curated_csv("speakers.csv")}
    confidence = {r["raw"]: r["date_confidence"] for r in ctx.curated_csv("date_confidence.csv")}
    rows = []
    for r in ctx.source_csv("responses.csv"):
        sp = speakers.get(r["speaker"])
        if sp is None:
            raise BuildError(f"curation/speakers.csv: add {r['speaker']!r}")
        bid = sp["bioguide_id"]
        if bid and (bid not in members or sp["label"] not in members[bid]["name"].lower()
                    .replace(" ", "-")):
            raise BuildError(f"curation/speakers.csv: {r['speaker']!r} -> {bid} does not "
                             "match a member of that name")
        if r["date_confidence"] not in confidence:
            raise BuildError(f"curation/date_confidence.csv: add {r['date_confidence']!r}")
        date, id_date, note, from_report = parse_date(r["date"])
        conf = "report_date" if from_report else confidence[r["date_confidence"]]
        if conf in {"inferred", "uncertain"} or "(" in r["date_confidence"]:
            note = "; ".join(x for x in (note, r["date_confidence"]) if x)
        actor = ACTOR_TYPE.get(r["actor_type"], r["actor_type"])
        urls = wording_sources(ctx, split_urls(r["sources"]), f"response {r['quote'][:40]!r}")
        if conf == "confirmed" and len(urls) == 1 and \
                ctx.registry.provenance(urls[0]).startswith("re_post"):
            conf = "single_copy"  # as in case 1: the date rests on one copy of another's text
        rows.append({
            "response_id": content_id("r", id_date, sp["label"], r["speaker"], r["quote"]),
            "date": date, "date_confidence": conf, "date_note": note,
            "speaker": r["speaker"], "bioguide_id": bid, "role": r["role"],
            "actor_type": actor, "relation_to_case": r["relation_to_case"],
            "about_letter": r["relation_to_case"].startswith("letter "),
            "stance": r["stance"], "quote": r["quote"], "note": r["notes"],
            "sources": ctx.ids(urls), "_sort": id_date,
        })
    rows.sort(key=lambda r: r["_sort"])  # stable: keeps the sources' order within a day
    for r in rows:
        del r["_sort"]
    check_unique(rows, "response_id")
    return rows


def build_vote_notes(ctx, votes: list[dict]) -> list[dict]:
    pos = {(v["vote_key"], v["bioguide_id"]): v for v in votes}
    rows = []
    for n in ctx.curated_csv("vote_notes.csv"):
        v = pos.get((n["vote_key"], n["bioguide_id"]))
        if v is None or v["position"] != n["expected_position"]:
            raise BuildError(f"curation/vote_notes.csv: {n['bioguide_id']} on {n['vote_key']} "
                             f"expected {n['expected_position']!r}; the record says "
                             f"{v and v['position']!r}")
        rows.append({"vote_key": n["vote_key"], "bioguide_id": n["bioguide_id"],
                     "name": v["name"], "position": v["position"], "topic": n["topic"],
                     "reason_found": yes(n["reason_found"]), "note": n["note"],
                     "date": n["date"], "date_confidence": n["date_confidence"],
                     "date_note": n["date_note"], "sources": ctx.ids(split_urls(n["sources"]))})
    return rows


def build_events(ctx) -> list[dict]:
    keys = ctx.curated_csv("events.csv")
    rows = []
    for e in ctx.source_csv("timeline.csv"):
        hits = [k for k in keys if k["date"] == e["date"] and e["event"].startswith(
            k["first_words"])]
        if len(hits) != 1:
            raise BuildError(f"curation/events.csv: no single key for {e['date']} "
                             f"{e['event'][:50]!r}")
        k = hits[0]
        urls = split_urls(e["sources"])
        rows.append({"event_id": content_id("e", e["date"], e["category"], e["event"]),
                     "event_key": k["event_key"], "date": e["date"], "date_public": e["date"],
                     "date_confidence": k["date_confidence"], "date_note": k["date_note"],
                     "event": e["event"], "category": e["category"],
                     "single_source": len(urls) == 1, "sources": ctx.ids(urls)})
    check_unique(rows, "event_id")
    check_unique(rows, "event_key")
    if len(rows) != len(keys):
        raise BuildError(f"curation/events.csv has {len(keys)} keys for {len(rows)} events")
    return rows


def build_discrepancies(ctx) -> list[dict]:
    rows = []
    for d in ctx.curated_csv("discrepancies.csv"):
        claim_urls = split_urls(d["claim_sources"])
        rows.append({"discrepancy_id": content_id("x", "", d["topic"], d["claim"],
                                                  d["claim_by"]),
                     "topic": d["topic"], "subject_key": d["subject_key"],
                     "bioguide_id": d["bioguide_id"], "claim": d["claim"],
                     "claim_by": d["claim_by"],
                     "claim_sources": ctx.ids(claim_urls) if claim_urls else "",
                     "what_the_record_shows": d["what_the_record_shows"],
                     "sources": ctx.ids(split_urls(d["sources"]))})
    check_unique(rows, "discrepancy_id")
    return rows


def register_unreliable_copies(ctx, letter_json: dict) -> None:
    """List the copies readers should recognise and never quote, even where no row cites them."""
    letter_a = next(L for L in letter_json["letters"] if L["id"] == LETTER_A)
    for c in letter_a["unreliable_copies"]:
        ctx.registry.add(c["url"])
    for url in letter_a["accompanying_statement"]["do_not_use"]:
        ctx.registry.add(url)
    for other in letter_json["other_letters_seen_not_used"]:
        for url in other["sources"]:
            ctx.registry.add(url)


# --- Entry point -------------------------------------------------------------------------------

def tables(ctx) -> dict[str, list[dict]]:
    apply_source_pages(ctx)
    letter_json = ctx.source_json("letter.json")
    votes = ctx.source_csv("votes.csv")
    signatures = build_signatures(ctx)
    members = build_members(votes, signatures, ctx)
    rollcalls = build_rollcalls(ctx, votes)
    check_signatory_votes(ctx, votes, rollcalls)
    letters = build_letters(ctx, letter_json, signatures)
    passages = build_passages(ctx, letter_json)
    responses = build_responses(ctx, {m["bioguide_id"]: m for m in members})
    out = {
        "members": members,
        "signatories": build_signatories(ctx, signatures, votes),
        "letters": letters,
        "signatures": [{k: v for k, v in s.items() if k != "_raw"} for s in signatures],
        "signer_count_reports": build_count_reports(ctx, letter_json, letters),
        "letter_passages": passages,
        "letter_drafts": build_drafts(ctx, letter_json, passages),
        "condition_evidence": build_condition_evidence(
            ctx, (ctx.sources / "README.md").read_text(encoding="utf-8"), passages, responses),
        "related_documents": build_related_documents(ctx, letter_json),
        "rollcalls": rollcalls,
        "house_votes": build_house_votes(ctx, votes, rollcalls),
        "senate_votes": build_senate_votes(ctx, votes, rollcalls),
        "vote_notes": build_vote_notes(ctx, votes),
        "responses": responses,
        "events": build_events(ctx),
        "discrepancies": build_discrepancies(ctx),
    }
    register_unreliable_copies(ctx, letter_json)
    out["sources"] = sources_table(ctx)  # last: every row above has registered its URLs
    return out
