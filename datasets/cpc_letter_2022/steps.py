"""Build steps of case 1: the 2022 Progressive Caucus letter (see datasets/build/README.md).

Raw facts come from ``../shared/sources`` (its README describes them); the curators'
classifications and the rows found later are the files of ``curation/`` (each entry with its
source or reason; curation/README.md lists them). This file only joins them into tables.
"""

from __future__ import annotations

import re
from pathlib import Path

from buildkit import (
    BuildError,
    Context,
    check_unique,
    content_id,
    github_url,
    load_module,
    slug,
    split_urls,
    starts_with,
)

_schema = load_module(Path(__file__).resolve().parent / "schema.py")
PACKAGE, RESOURCES, PROVENANCE = _schema.PACKAGE, _schema.RESOURCES, _schema.PROVENANCE
SOURCES = ""  # case 1's raw files are the top of the sources folder
VOTEVIEW_URL = "https://voteview.com/data"


def tables(ctx: Context) -> dict[str, list[dict]]:
    """Every table but ``sources`` (the builder fills it from the URLs the rows cite)."""
    letter = ctx.source_json("letter/letter.json")
    fta = letter["full_text_availability"]
    ctx.registry.notes.update({c["url"]: f"Assessment: {c['assessment']}"
                               for c in fta["faithful_copies"]})
    ctx.registry.notes.update({c["url"]: f"Problem: {c['problem']}"
                               for c in fta["unreliable_copies"]})
    timeline = ctx.source_csv("letter/timeline.csv")
    members = build_members(ctx)
    rollcalls = build_rollcalls(ctx, timeline)
    passages = build_letter_passages(ctx, letter)
    out = {
        "members": members, "signatories": build_signatories(ctx), "rollcalls": rollcalls,
        "house_votes": build_votes(ctx, rollcalls, "house", "bioguide_id", (
            "vote_key", "bioguide_id", "party", "state", "district", "position")),
        "senate_votes": build_votes(ctx, rollcalls, "senate", "lis_member_id", (
            "vote_key", "lis_member_id", "first_name", "last_name", "party", "state",
            "position")),
        "letter_passages": passages, "letter_drafts": build_letter_drafts(ctx, passages),
        "statements": build_statements(ctx, letter),
        "responses": build_responses(ctx, members, letter["date_released"]),
        "organizations": build_organizations(ctx), "events": build_events(ctx, timeline),
    }
    for url in [u["url"] for u in fta["unreliable_copies"]]:
        ctx.registry.add(url)  # listed so that readers can recognise them
    for r in ctx.curated_csv("listed_sources.csv"):
        ctx.registry.add(r["url"])  # reports whose claims the lessons check
    return out


def build_members(ctx: Context) -> list[dict]:
    votes = ctx.source_csv("votes/house_member_votes.csv")
    at_large_states = {v["state"] for v in votes if v["at_large"] == "Y"}
    sid = ctx.ids([VOTEVIEW_URL])
    party = {p["party_code"]: p["party"] for p in ctx.curated_csv("voteview_parties.csv")}
    rows = [{"bioguide_id": m["bioguide_id"], "icpsr": m["icpsr"], "name": m["bioname"],
             "party": party[m["party_code"]],
             "state": m["state_abbrev"], "district": m["district_code"],
             "at_large": m["state_abbrev"] in at_large_states,
             "delegate": m["district_code"] == "0", "nominate_dim1": m["nominate_dim1"],
             "nominate_dim2": m["nominate_dim2"], "born": m["born"], "sources": sid}
            for m in ctx.source_csv("voteview/H117_members.csv") if m["chamber"] == "House"]
    return sorted(rows, key=lambda r: (r["state"], int(r["district"]), r["bioguide_id"]))


def build_signatories(ctx: Context) -> list[dict]:
    raw = ctx.source_csv("letter/signatories.csv")
    names = {s["bioguide_id"]: s["name_full"] for s in raw}
    flags: dict[str, set[str]] = {}
    for r in ctx.curated_csv("signer_flags.csv"):
        if names.get(r["bioguide_id"]) != r["name"]:
            raise BuildError(f"curation/signer_flags.csv: {r['bioguide_id']} is not "
                             f"{r['name']!r} in signatories.csv")
        flags.setdefault(r["flag"], set()).add(r["bioguide_id"])
    return [{"bioguide_id": (bid := s["bioguide_id"]), "name": s["name_full"],
             "last_name": s["last_name"], "party": s["party"], "state": s["state"],
             "district": s["district"], "lead_signer": bid in flags["lead_signer"],
             "corroboration": "single" if bid in flags["single_source"] else "multiple",
             "cpc_member_reported": s["cpc_member"] == "yes",
             "cpc_member_confirmed": bid in flags["cpc_confirmed"],
             "follow_up": s["notable_followup"], "sources": ctx.ids(split_urls(s["sources"]))}
            for s in raw]


def build_rollcalls(ctx: Context, timeline: list[dict]) -> list[dict]:
    """Roll calls; the aid figure only on a core vote on the whole measure (curation/aid.csv)."""
    aid = {r["bill"]: r for r in ctx.curated_csv("aid.csv")}
    divided_questions = {r["vote_key"]: r for r in ctx.curated_csv("divided_questions.csv")}
    aid_sources = {bill: next(split_urls(e["sources"]) for e in timeline
                              if e["date"] == a["enacted_on"] and e["category"] == "congress_vote")
                   for bill, a in aid.items()}
    rows = []
    for chamber in ("house", "senate"):
        for r in ctx.source_csv(f"votes/{chamber}_rollcalls.csv"):
            url = r.get("clerk_xml_url") or r["senate_xml_url"]
            a, divided = aid.get(r["bill"]), divided_questions.get(r["vote_key"])
            if divided and not r["question"].endswith(divided["question_ends"]):
                raise BuildError(f"{r['vote_key']}: the question text no longer reads "
                                 f"{divided['question_ends']!r}; check divided_questions.csv")
            aid_ok = a is not None and r["tier"] == "core" and divided is None
            urls = [url, github_url(r["data_source"])]
            if a is not None and r["tier"] == "core":
                urls += aid_sources[r["bill"]]
            clerk = r.get("clerk_vote_desc", "")
            rows.append({
                **{k: r[k] for k in ("vote_key", "chamber", "congress", "session", "roll",
                                     "date", "time_local", "bill", "label")},
                "clerk_title": clerk, "short_title": r["enacted_short_title"],
                "display_title": r["enacted_short_title"] or clerk,
                "question": r["question"], "result": r["result"],
                "majority_required": r["majority_required"], "tier": r["tier"],
                **{k: r.get(k, "") for k in (
                    "yea", "nay", "present", "not_voting", "dem_yea", "dem_nay", "dem_present",
                    "dem_not_voting", "rep_yea", "rep_nay", "rep_present", "rep_not_voting",
                    "ind_yea", "ind_nay", "ind_not_voting", "voteview_rollnumber",
                    "voteview_yea", "voteview_nay")},
                "divided_question": divided["divided_question"] if divided else "",
                "aid_usd_billion": float(a["aid_usd_billion"]) if aid_ok else "",
                "aid_note": a["aid_note"] if aid_ok else divided["aid_note"] if divided else "",
                "public_law": r["public_law"],
                "public_law_inferred": bool(r["public_law"]) and a is not None
                and a["public_law_inferred"] == "true",
                "signed": r["signed"], "source_url": url, "sources": ctx.ids(urls),
            })
    return sorted(rows, key=lambda r: (r["chamber"], r["date"], int(r["roll"])))


def build_votes(ctx: Context, rollcalls: list[dict], chamber: str, member: str,
                columns: tuple[str, ...]) -> list[dict]:
    """Member positions, each citing its roll call's official record."""
    record = {r["vote_key"]: r["sources"].split(";")[0] for r in rollcalls}
    order = {r["vote_key"]: i for i, r in enumerate(rollcalls)}
    rows = [{**{k: v[k] for k in columns}, "sources": record[v["vote_key"]]}
            for v in ctx.source_csv(f"votes/{chamber}_member_votes.csv")]
    return sorted(rows, key=lambda r: (order[r["vote_key"]], r[member]))


def build_letter_passages(ctx: Context, letter: dict) -> list[dict]:
    faithful = [c["url"] for c in letter["full_text_availability"]["faithful_copies"]]
    phrases = [p["phrase"] for p in letter["key_phrases"]]
    paragraphs = ctx.curated_csv("paragraphs.csv")
    in_paragraph = {p["opening"]: int(p["paragraph"]) for p in paragraphs
                    if p["passage"] == "verified_sentence"}

    def row(para, kind, text, truncated, note, urls, phrases_found=True):
        return {"paragraph": para, "kind": kind, "text": text, "truncated": truncated,
                "key_phrases": ";".join(p for p in phrases if phrases_found
                                        and p.lower().rstrip(".") in text.lower()),
                "variant_note": note, "sources": ctx.ids(urls)}

    rows = [row(int(p["paragraph"]), "paragraph_opening", p["opening"], True, "", faithful)
            for p in paragraphs if p["passage"] == "opening"]
    # Sentences carrying the key phrases: letter.json's context, unless curation says otherwise.
    how = {k["phrase"]: k for k in ctx.curated_csv("key_phrases.csv")}
    merged = [p for p in letter["key_phrases"] if how.get(p["phrase"], {}).get("passage")
              == "merged"]
    for p in letter["key_phrases"]:
        if p in merged:
            continue
        text = p["phrase"] if how.get(p["phrase"], {}).get("passage") == "phrase" \
            else p["context"]
        urls, note = list(p["sources"]), p.get("note", "")
        for m in (m for m in merged if m["phrase"] in text):
            urls += [u for u in m["sources"] if u not in urls]
            note = how[m["phrase"]]["variant_note"]
        rows.append(row("", "sentence", text, not text.endswith("."), note, urls))
    for s in letter["other_verified_sentences"]:
        para = next((n for o, n in in_paragraph.items() if s["text"].startswith(o)), "")
        rows.append(row(para, "sentence", s["text"], not s["text"].endswith("."), "",
                        s["sources"]))
    for q in letter["quotes_of_biden_inside_letter"]:
        rows.append(row("", "quoted_remark", q, False, letter["quotes_of_biden_note"],
                        faithful, phrases_found=False))
    rows.sort(key=lambda r: (r["paragraph"] == "", r["paragraph"] or 0))
    for r in rows:
        first_words = " ".join(re.findall(r"[A-Za-z']+", r["text"])[:2]).replace("'", "")
        r["passage_id"] = content_id("p", "", first_words, r["text"])
    check_unique(rows, "passage_id")
    return rows


def build_letter_drafts(ctx: Context, passages: list[dict]) -> list[dict]:
    """Draft wording quoted before the release (curation/drafts.csv), linked by its text."""
    rows = []
    for d in ctx.curated_csv("drafts.csv"):
        released = ""
        if d["released_contains"]:
            hits = [p["passage_id"] for p in passages if d["released_contains"] in p["text"]]
            if len(hits) != 1:
                raise BuildError(f"draft {d['text'][:30]!r}: expected one released passage, "
                                 f"found {hits}")
            released = hits[0]
        rows.append({"draft_id": content_id("d", d["quoted_on"], "", d["text"]),
                     "quoted_on": d["quoted_on"], "quoted_by": d["quoted_by"],
                     "text": d["text"], "released_passage_id": released,
                     "comparison_note": d["comparison_note"],
                     "sources": ctx.ids([d["source_url"]])})
    check_unique(rows, "draft_id")
    return rows


def build_statements(ctx: Context, letter: dict) -> list[dict]:
    """Sentences of the clarification and of the withdrawal, the latter in statement order.

    letter.json lists the central sentences; withdrawal_statement_more.json the rest of the
    withdrawal (its reasons); curation/statement_sentences.csv each sentence's role and the
    withdrawal's order (from one full copy, which must be a cited source).
    """
    more = ctx.source_json("letter/withdrawal_statement_more.json")
    table = {r["starts_with"]: r for r in ctx.curated_csv("statement_sentences.csv")}
    order = {k: int(r["withdrawal_position"]) for k, r in table.items()
             if r["withdrawal_position"]}
    for r in table.values():
        if r["order_source"] and r["order_source"] not in letter["withdrawal_statement"][
                "sources"]:
            raise BuildError("the copy giving the withdrawal's sentence order is not a cited "
                             "source")
    rows = []
    for name in ("clarification", "withdrawal"):
        st = letter[f"{name}_statement"]
        sentences = [(True, st["key_quote"], st["sources"], "")]
        sentences += [(False, q, st["sources"], "") for q in st["other_quotes"]]
        if name == "withdrawal":
            if more["date"] != st["date"]:
                raise BuildError("withdrawal_statement_more.json: date differs from letter.json")
            sentences += [(False, m["text"], m["sources"], m.get("variant_note", ""))
                          for m in more["sentences"]]
            sentences.sort(key=lambda s: order[starts_with(order, s[1], "statement sentence")])
        for i, (key, quote, urls, note) in enumerate(sentences, 1):
            cur = table[starts_with(table, quote, "statement sentence")]
            rows.append({"statement_id": content_id("s", st["date"], name[:3], quote),
                         "statement": name, "date": st["date"], "time_note": st["time_note"],
                         "speaker": st["speaker"], "position": i if name == "withdrawal" else "",
                         "role": cur["role"], "key_quote": key, "quote": quote,
                         "single_source": len(urls) == 1,
                         "variant_note": " ".join(x for x in (note, cur["order_variant_note"])
                                                  if x),
                         "statement_note": st["wording_variants"],
                         "related_reporting": st.get("related_reporting", ""),
                         "sources": ctx.ids(urls)})
    check_unique(rows, "statement_id")
    return rows


def _match(table: list[dict], r: dict) -> list[dict]:
    """Curation rows for this remark: same speaker and the quote starts with quote_starts."""
    return [t for t in table if r["speaker"] == t["speaker"]
            and r["quote"].startswith(t["quote_starts"])]


def build_responses(ctx: Context, members: list[dict], released: str) -> list[dict]:
    seat = {(m["name"].split(",")[0], m["state"]): m["bioguide_id"] for m in members}
    speakers = {s["speaker"]: (s["voteview_surname"], s["state"])
                for s in ctx.curated_csv("speaker_seats.csv")}
    dates = ctx.curated_csv("date_confidence.csv")
    perspectives = ctx.curated_csv("perspectives.csv")
    rejected = ctx.curated_csv("rejected_responses.csv")
    extra = []
    for r in ctx.curated_csv("responses_extra.csv"):  # the builder checks rows against schema
        if r.get("about_letter", "true") not in {"true", "false"}:
            raise BuildError(f"responses_extra.csv: about_letter {r['about_letter']!r} is not "
                             "'true' or 'false'")
        if held := _match(rejected, r):
            ctx.note(f"held back: {r['speaker']}: {r['quote'][:50]!r}... ({held[0]['reason']})")
        else:
            extra.append(r)
    rows = []
    for r in ctx.source_csv("letter/responses.csv") + extra:
        conf = r["date_confidence"] if "date_confidence" in r else next(
            (d["date_confidence"] for d in _match(dates, r)), "confirmed")
        urls = split_urls(r["sources"])
        if conf == "confirmed" and len(urls) == 1 and ctx.registry.provenance(
                urls[0]).startswith("re_post"):
            conf = "single_copy"  # the date rests on one copy of someone else's report
        # Most specific first: this remark, this speaker, then the kind of actor.
        persp = sorted((p for p in perspectives if r["actor_type"] == p["actor_type"] and (
            not p["speaker"] or p in _match(perspectives, r))),
            key=lambda p: (not p["quote_starts"], not p["speaker"]))
        if not persp:
            raise BuildError(f"no perspective for {r['speaker']!r} in curation/perspectives.csv")
        bid = seat.get(speakers[r["speaker"]], "") if r["speaker"] in speakers else ""
        if r["speaker"] in speakers and not bid:
            raise BuildError(f"no member found for {(r['speaker'], r['quote'])}")
        rows.append({"date": r["date"], "date_confidence": conf, "speaker": r["speaker"],
                     "bioguide_id": bid, "role": r["role"], "actor_type": r["actor_type"],
                     "perspective": persp[0]["perspective"],
                     "about_letter": (r["about_letter"] == "true" if "about_letter" in r
                                      else r["date"] >= released),
                     "stance": r["stance"], "quote": r["quote"], "note": r.get("note", ""),
                     "sources": ctx.ids(urls)})
    rows.sort(key=lambda r: r["date"])  # stable: keeps the curated order within a day
    for r in rows:
        r["response_id"] = content_id("r", r["date"], r["speaker"].split()[-1],
                                      r["speaker"], r["quote"])
    check_unique(rows, "response_id")
    view = {v["response_id"]: v["view_of_letter"] for v in ctx.curated_csv("view_of_letter.csv")}
    unclassified = [r["response_id"] for r in rows if r["response_id"] not in view]
    if unclassified or len(view) != len(rows):
        raise BuildError(f"classify in curation/view_of_letter.csv: {unclassified}; unknown "
                         f"ids: {sorted(set(view) - {r['response_id'] for r in rows})}")
    for r in rows:
        r["view_of_letter"] = view[r["response_id"]]
        if (r["view_of_letter"] == "context") == r["about_letter"]:
            raise BuildError(f"{r['response_id']}: 'context' must match about_letter=false")
    return rows


def build_organizations(ctx: Context) -> list[dict]:
    """The letter's endorsing organisations (curation/organizations.csv)."""
    rows = []
    for r in ctx.curated_csv("organizations.csv"):
        quote = r["reaction_quote"].strip()
        if quote and not r["reaction_date"]:
            raise BuildError(f"organizations.csv: {r['name']!r} has a reaction without a date")
        rows.append({"organization_id": slug(r["name"]), "name": r["name"],
                     "role_in_letter": r["role_in_letter"], "reaction_found": bool(quote),
                     "reaction_quote": quote, "reaction_date": r["reaction_date"],
                     "date_confidence": r["date_confidence"] if quote else "",
                     "note": r["note"], "sources": ctx.ids(split_urls(r["sources"]))})
    check_unique(rows, "organization_id")
    return rows


def build_events(ctx: Context, timeline: list[dict]) -> list[dict]:
    """Timeline events; named ones (curation/event_keys.csv) get their event_key."""
    public = {(p["date"], p["category"]): p for p in ctx.curated_csv("event_public_dates.csv")}
    keys = ctx.curated_csv("event_keys.csv")
    rows = []
    for e in timeline:
        p = public.get((e["date"], e["category"]), {"date_public": e["date"],
                                                    "date_public_note": ""})
        urls = split_urls(e["sources"])
        key = [k["event_key"] for k in keys
               if e["date"] == k["date"] and e["event"].startswith(k["event_starts"])]
        rows.append({"event_id": content_id("e", e["date"], e["category"], e["event"]),
                     "event_key": key[0] if key else "", "date": e["date"],
                     "date_public": p["date_public"], "date_public_note": p["date_public_note"],
                     "event": e["event"], "category": e["category"],
                     "single_source": len(urls) == 1 or "single-source" in e["event"],
                     "sources": ctx.ids(urls)})
    check_unique(rows, "event_id")
    found = sorted(r["event_key"] for r in rows if r["event_key"])
    if found != sorted(k["event_key"] for k in keys):
        raise BuildError(f"event keys matched {found}, expected each of curation/"
                         "event_keys.csv once: check it against timeline.csv")
    return rows
