"""Table schemas of case 2 (gop_letters_2023): the 2023 Republican letters and the 2023-2024 votes.

Column names and vocabularies follow case 1 (``cpc_letter_2022``) wherever the concept is the
same (``vote_key``, ``bioguide_id``, ``lis_member_id``, ``position``, ``party``, ``tier``,
``date_confidence``, ``sources`` ...), so the library reads both cases through the same roles.
"""

from __future__ import annotations

from buildkit import (
    DATE_CONFIDENCE,
    KINDS,
    KINDS_TEXT,
    PARTIES,
    POSITIONS,
    f,
    id_field,
    label_sources_field,
    sources_field,
)

LETTER_IDS = ["2023-04-20_lee_crane_to_biden", "2023-09-21_vance_roy_to_omb"]
TIERS = ["core", "core_earlier", "first_vote_after_letter", "procedural", "contrast", "related"]
# Case 1's vocabulary plus 'inferred': a day worked out from a weekday or 'today' in a source.
DATE_CONFIDENCE_2 = [*DATE_CONFIDENCE, "inferred"]
ACTOR_TYPES = ["signatory", "administration", "democrat", "republican_pro_aid",
               "foreign_government", "other_nay"]
PROVENANCES = ["original", "re_post", "state_media", "re_post_of_state_media", "commentary",
               "not_established"]
BIOGUIDE = "[A-Z][0-9]{6}"
VOTE_KEY = r"[hs][0-9]+-118\.202[34]"
SIGNED = ["yes", "no", "unknown"]


def _bioguide(description: str, **constraints) -> dict:
    return f("bioguide_id", "string", description, pattern=BIOGUIDE, **constraints)


def _letter_id(description: str = "Letter; resolves to letters.letter_id.") -> dict:
    return f("letter_id", "string", description, required=True, enum=LETTER_IDS)


RESOURCES = [
    {
        "name": "members",
        "title": "Members of Congress recorded on the case's 10 roll calls, 2023-2024",
        "unit": "Each row represents one member of the House or Senate (118th Congress) who "
        "appears in at least one of the 6 House or 4 Senate roll calls.",
        "description": "Every member on the roll calls, with party, seat and Senate id as the "
        "records give them, and whether the sources name them as a signer of each letter. "
        "There are no DW-NOMINATE scores: no Voteview file for the 118th Congress was "
        "available.",
        "caveats": [
            "No ideology scores: unlike case 1 there is no Voteview member file for the 118th "
            "Congress in the sources.",
            "Members who left or joined during the Congress appear once, with the seat of "
            "their roll-call records.",
            "`signed_2023_09_21` is 'unknown' for every House member not named as a signer of "
            "letter A: 14 of its 23 House signers are not named in any source found. Never "
            "read 'unknown' as 'no'.",
        ],
        "schema": {
            "fields": [
                _bioguide("Congressional Bioguide identifier.", required=True, unique=True),
                f("name", "string", "Name as the congress-legislators file gives it.",
                  required=True),
                f("chamber", "string", "House or Senate.", required=True,
                  enum=["House", "Senate"]),
                f("party", "string", "Party as printed in the vote record (I for "
                  "independents).", required=True, enum=PARTIES),
                f("state", "string", "Two-letter state abbreviation.", required=True,
                  pattern="[A-Z]{2}"),
                f("district", "integer", "118th-Congress district (House; at-large seats are "
                  "coded 1); empty for senators.", minimum=1),
                f("at_large", "boolean", "True for an at-large House seat.", required=True),
                f("lis_member_id", "string", "Senate LIS member id (senators only).",
                  pattern="S[0-9]{3}"),
                f("signed_2023_04_20", "string", "Named as a signer of letter B (2023-04-20): "
                  "yes or no (its list of 19 is complete).", required=True, enum=SIGNED),
                f("signed_2023_09_21", "string", "Named as a signer of letter A (2023-09-21): "
                  "yes, no (senators: all 6 are named) or unknown (House members not named: "
                  "the list is incomplete).", required=True, enum=SIGNED),
                sources_field(),
            ],
            "primaryKey": ["bioguide_id"],
        },
    },
    {
        "name": "signatories",
        "title": "Named signers of the two 2023 letters",
        "unit": "Each row represents one lawmaker named as a signer of letter B (2023-04-20), "
        "letter A (2023-09-21) or both.",
        "description": "The 27 lawmakers the sources name: all 19 signers of letter B and 15 of "
        "the 29 reported signers of letter A; 7 signed both. 14 House signers of letter A are "
        "not named anywhere and are NOT in this table (see `letters`).",
        "caveats": [
            "Letter A's list is incomplete: 15 of 29 names are known (all 6 senators, 9 of 23 "
            "House members). The missing 14 are never guessed.",
            "Some names rest on a single source (`corroboration` = 'single'): Mike Collins on "
            "letter B (named only by the official release and its re-post) and five names on "
            "letter A (Marshall, Higgins, Bishop, Posey, Steube).",
            "A signature is not a vote: both letters made opposition conditional.",
        ],
        "schema": {
            "fields": [
                _bioguide("Bioguide identifier; resolves to members.", required=True,
                          unique=True),
                f("name", "string", "Full name as the sources' id file gives it.",
                  required=True),
                f("last_name", "string", "Surname as published.", required=True),
                f("record_name", "string", "The name the official roll-call records print: "
                  "the House Clerk's name as printed (with the state where two members "
                  "share a surname, e.g. 'Bishop (NC)'); for senators the Senate record's "
                  "surname ('Lee' of 'Lee (R-UT)'). The record's XML is among the row's "
                  "sources.", required=True),
                f("chamber", "string", "House or Senate.", required=True,
                  enum=["House", "Senate"]),
                f("party", "string", "Party.", required=True, enum=PARTIES),
                f("state", "string", "State.", required=True, pattern="[A-Z]{2}"),
                f("district", "integer", "118th-Congress district (House); empty for "
                  "senators.", minimum=1),
                f("lis_member_id", "string", "Senate LIS member id (senators).",
                  pattern="S[0-9]{3}"),
                f("icpsr", "integer", "ICPSR id where the sources give it."),
                f("lead_signer", "boolean", "True for a lead of either letter (Lee and Crane "
                  "led letter B; Vance and Roy led letter A).", required=True),
                f("led_letters", "string", "Letters this member led (letter ids, "
                  "';'-separated)."),
                f("letters", "string", "Letters this member is named as signing (letter ids, "
                  "';'-separated).", required=True),
                f("signed_2023_04_20", "boolean", "Named as a signer of letter B.",
                  required=True),
                f("signed_2023_09_21", "boolean", "Named as a signer of letter A. False "
                  "means not named, not 'did not sign': letter A's list is incomplete (15 of "
                  "29 named), so a House member not named may have signed it (members."
                  "signed_2023_09_21 says 'unknown').", required=True),
                f("signed_both", "boolean", "Named on both letters (false may hide a House "
                  "member who signed letter A unnamed).", required=True),
                f("corroboration", "string", "'multiple': named by more than one independent "
                  "source on every letter signed; 'single': on at least one letter the name "
                  "rests on one source.", required=True, enum=["multiple", "single"]),
                f("single_source_letters", "string", "Letters on which the name rests on one "
                  "source (letter ids)."),
                f("notes", "string", "The sources' notes on how the name is attested."),
                sources_field(),
            ],
            "primaryKey": ["bioguide_id"],
            "foreignKeys": [{"fields": ["bioguide_id"],
                             "reference": {"resource": "members", "fields": ["bioguide_id"]}}],
        },
    },
    {
        "name": "letters",
        "title": "The two letters",
        "unit": "Each row represents one letter: letter B (2023-04-20, to President Biden) or "
        "letter A (2023-09-21, to OMB Director Young).",
        "description": "Dates, leads, addressee, the reported and named signer counts, and "
        "whether the list of signers is complete.",
        "caveats": [
            "Letter A's signer list is INCOMPLETE (`list_complete` = false): 29 reported, 15 "
            "named, 14 missing. Some outlets give 28 (see `signer_count_reports`).",
            "The date printed on letter A's final version and its subject line were not found.",
            "Of letter B only page 1 of 4 was found; its signer list rests on the official "
            "press release.",
        ],
        "schema": {
            "fields": [
                f("letter_id", "string", "Identifier: date, leads and addressee.",
                  required=True, unique=True, enum=LETTER_IDS),
                f("label", "string", "Short name used in the case ('letter B', 'letter A').",
                  required=True),
                f("primary", "boolean", "True for the case's primary letter (letter B: every "
                  "signer named).", required=True),
                f("role_in_case", "string", "The sources' description of its role.",
                  required=True),
                f("date_sent", "date", "Date sent/released.", required=True),
                f("date_on_letter", "string", "Date printed on the letter, or what is known "
                  "about it."),
                f("addressee", "string", "To whom it was addressed.", required=True),
                f("leads", "string", "Lead signers as published.", required=True),
                f("lead_bioguide_ids", "string", "Lead signers' Bioguide ids (';'-separated).",
                  required=True),
                f("title_or_subject", "string", "Subject line or release title, where known."),
                f("signers_reported", "integer", "Number of signers most sources report.",
                  required=True, minimum=1),
                f("signers_reported_senate", "integer", "Senators among them.", minimum=0),
                f("signers_reported_house", "integer", "House members among them.", minimum=0),
                f("signers_named", "integer", "Signers named in the sources (rows of "
                  "`signatures`).", required=True, minimum=0),
                f("signers_named_senate", "integer", "Named senators.", minimum=0),
                f("signers_named_house", "integer", "Named House members.", minimum=0),
                f("signer_count_variants", "string", "Other counts some outlets report "
                  "(see signer_count_reports)."),
                f("signers_missing", "integer", "Reported minus named: signers no source "
                  "names.", required=True, minimum=0),
                f("list_complete", "boolean", "True when every reported signer is named.",
                  required=True),
                f("list_note", "string", "What is known about the list."),
                f("what_it_asked", "string", "What the letter asked or pledged (the sources' "
                  "summary; the pledge sentence is in letter_passages)."),
                f("text_available", "string", "Which parts of the text were found."),
                sources_field(),
            ],
            "primaryKey": ["letter_id"],
        },
    },
    {
        "name": "signatures",
        "title": "Who is named on which letter",
        "unit": "Each row represents one named signer of one letter (19 on letter B, 15 on "
        "letter A).",
        "description": "The per-letter signer lists, with each name's role and how it is "
        "attested.",
        "caveats": [
            "Letter A has 14 further signers whom no source names; they have no rows.",
        ],
        "schema": {
            "fields": [
                _letter_id(),
                _bioguide("Signer; resolves to signatories.", required=True),
                f("name", "string", "Name as the sources give it.", required=True),
                f("chamber", "string", "House or Senate.", required=True,
                  enum=["House", "Senate"]),
                f("role", "string", "lead or signer.", required=True, enum=["lead", "signer"]),
                f("independent_sources", "string", "How the name is attested, as the "
                  "sources record it ('multiple', 'single', or 'official+N': the official "
                  "release plus N other reports).", required=True),
                f("single_source", "boolean", "True where the name rests on one source.",
                  required=True),
                f("notes", "string", "The sources' notes."),
                sources_field(),
            ],
            "primaryKey": ["letter_id", "bioguide_id"],
            "foreignKeys": [
                {"fields": ["letter_id"],
                 "reference": {"resource": "letters", "fields": ["letter_id"]}},
                {"fields": ["bioguide_id"],
                 "reference": {"resource": "signatories", "fields": ["bioguide_id"]}},
            ],
        },
    },
    {
        "name": "signer_count_reports",
        "title": "How many signed: the counts outlets reported",
        "unit": "Each row represents one count of a letter's signers as reported, with who "
        "reported it.",
        "description": "The signer counts and the outliers (28 instead of 29; 'Nearly two "
        "dozen') kept as data, with the count the case uses marked.",
        "caveats": ["No signature page of letter A was found: the accepted count is the one "
                    "most reports give, with its breakdown."],
        "schema": {
            "fields": [
                id_field("report_id", "n", "the letter's label", dated=False,
                         hashed="the letter id and the reported value"),
                _letter_id(),
                f("reported", "string", "The count as reported (a number or words).",
                  required=True),
                f("count", "integer", "The count as a number, where it is one.", minimum=0),
                f("breakdown", "string", "Senators and House members, where reported."),
                f("accepted", "boolean", "True for the count the case uses.", required=True),
                f("note", "string", "Why it is an outlier, or who reports it."),
                sources_field(),
            ],
            "primaryKey": ["report_id"],
        },
    },
    {
        "name": "letter_passages",
        "title": "Verified passages of the two letters (incomplete texts)",
        "unit": "Each row represents one sentence or phrase of a letter whose exact wording is "
        "confirmed by at least one faithful copy.",
        "description": "THE LETTER TEXTS ARE INCOMPLETE: sentences of letter B (from page 1 "
        "of 4 of a copy of the letter and from reports) and quoted sentences of letter A. "
        "Wording is copied exactly; where copies differ, the variant is kept in "
        "`variant_note` with its sources.",
        "caveats": [
            "Neither letter is complete here; there is no paragraph order for letter A.",
            "Copies that misattribute or garble the letters (northcolumbusnews.com, "
            "nightlynewslink.com, totalnews.com, secularnewsdaily.com) are never used for "
            "wording; their reliability notes in `sources` say why.",
            "Some sentences rest on one source (`single_source`).",
        ],
        "schema": {
            "fields": [
                id_field("passage_id", "p", "its first two words", dated=False),
                _letter_id(),
                f("kind", "string", "sentence: a verified sentence; phrase: a verified "
                  "fragment.", required=True, enum=["sentence", "phrase"]),
                f("key_sentence", "boolean", "True for the sentence that states the signers' "
                  "(conditional) opposition.", required=True),
                f("text", "string", "Exact wording as verified.", required=True),
                f("truncated", "boolean", "True where only part of a longer sentence is "
                  "verified.", required=True),
                f("single_source", "boolean", "True where the wording rests on one source.",
                  required=True),
                f("variant_note", "string", "How other copies word it (both spellings kept)."),
                f("variant_sources", "string", "Source ids of the copies with the variant.",
                  pattern=r"[a-z0-9-]+(;[a-z0-9-]+)*"),
                f("note", "string", "The sources' notes on the passage."),
                sources_field(),
            ],
            "primaryKey": ["passage_id"],
        },
    },
    {
        "name": "letter_drafts",
        "title": "Wording of the draft of letter A, as quoted before it was sent",
        "unit": "Each row represents one passage of the draft dated September 5 (reported "
        "2023-08-25), as quoted by a third party.",
        "description": "The draft closed with an unconditional sentence; the sent letter added "
        "'certainly until we receive answers'. Compare with `letter_passages`.",
        "caveats": [
            "The draft itself is not available: these are quotations of it, one from Russian "
            "state media (Sputnik).",
            "That the closing sentence changed is an inference from comparing the two quoted "
            "texts.",
        ],
        "schema": {
            "fields": [
                id_field("draft_id", "d", "its first two words", dated=False),
                _letter_id(),
                f("quoted_on", "date", "Date of the publication quoting the draft, where "
                  "known."),
                f("quoted_by", "string", "Who quoted it.", required=True),
                f("text", "string", "The draft's wording exactly as quoted.", required=True),
                f("released_passage_id", "string", "The sent letter's corresponding passage "
                  "(letter_passages.passage_id)."),
                f("comparison_note", "string", "How the draft differs from the sent text, and "
                  "how sure that is.", required=True),
                sources_field(),
            ],
            "primaryKey": ["draft_id"],
            "foreignKeys": [{"fields": ["released_passage_id"],
                             "reference": {"resource": "letter_passages",
                                           "fields": ["passage_id"]}}],
        },
    },
    {
        "name": "condition_evidence",
        "title": "What the record says about the letters' conditions",
        "unit": "Each row represents one sourced statement bearing on a condition a letter set "
        "(a diplomatic strategy for letter B; answers to its questions for letter A).",
        "description": "Both letters made their opposition conditional. These are the sourced "
        "statements on whether the 2024 aid carried a strategy requirement, and the one answer "
        "found to a question letter A asked. Whether any of this met the letters' conditions "
        "is a judgement for students, not a fact.",
        "caveats": [
            "Whether a condition was met is not recorded anywhere: these rows are evidence to "
            "weigh, not verdicts.",
            "Each quote rests on one source: two on one copy of a news report or letter "
            "(womensystems.com, news.mixedtimes.com), one on the committee's own statement. "
            "Dates are missing where the sources give none.",
        ],
        "schema": {
            "fields": [
                id_field("evidence_id", "c", "the speaker", dated=False,
                         hashed="the speaker and the quote"),
                _letter_id("The letter whose condition it bears on."),
                f("condition_passage_id", "string", "The letter's key sentence "
                  "(letter_passages.passage_id).", required=True),
                f("speaker", "string", "Who said it.", required=True),
                f("quote", "string", "Exact quote.", required=True),
                f("date", "date", "Date, where the sources give it."),
                f("date_note", "string", "What is known of the date."),
                f("what_it_shows", "string", "What the quote says, in the curators' words.",
                  required=True),
                f("response_id", "string", "The same quote in responses, where it is there."),
                f("judgement_note", "string", "Why this is not a verdict.", required=True),
                sources_field(),
            ],
            "primaryKey": ["evidence_id"],
            "foreignKeys": [{"fields": ["condition_passage_id"],
                             "reference": {"resource": "letter_passages",
                                           "fields": ["passage_id"]}}],
        },
    },
    {
        "name": "related_documents",
        "title": "Other letters and the request the letters answered",
        "unit": "Each row represents one document around the case that is not one of its two "
        "letters: the OMB request letter A opposed, and two other 2023 letters seen in the "
        "sources.",
        "description": "Context documents, with an exact quote where one is sourced.",
        "caveats": ["The other letters are not part of the case: their signer lists were not "
                    "used (or not found)."],
        "schema": {
            "fields": [
                f("document_key", "string", "Stable name.", required=True, unique=True,
                  pattern="[a-z0-9_]+"),
                f("date", "date", "Date, where known."),
                f("date_note", "string", "What is known of the date."),
                f("kind", "string", "letter or request.", required=True,
                  enum=["letter", "request"]),
                f("author", "string", "Who wrote or led it.", required=True),
                f("addressee", "string", "To whom.", required=True),
                f("summary", "string", "What it was (the sources' summary).", required=True),
                f("exact_quote", "string", "An exact quote, where one is sourced."),
                f("use_in_case", "string", "Why it is here.", required=True),
                sources_field(),
            ],
            "primaryKey": ["document_key"],
        },
    },
    {
        "name": "rollcalls",
        "title": "Roll-call votes on the 2023-2024 Ukraine aid and the April 2024 package",
        "unit": "Each row represents one recorded roll-call vote of the 118th Congress (6 in "
        "the House, 4 in the Senate).",
        "description": "The House and Senate roll calls, with the record's totals overall and "
        "by party, the title printed in the record, and each vote's tier.",
        "caveats": [
            "Vehicle bill: the record titles H.R. 815 'A bill to amend title 38 ... Veterans "
            "Community Care program ...'; the Senate substituted the supplemental. In the House "
            "there was no vote on H.R. 815 itself: the rule H.Res. 1160 (roll 142) added the "
            "four bills as a House amendment once passed. Use `display_title`.",
            "Ballotpedia calls the 316-94 rule vote (roll 142) House approval of the bill: that "
            "is wrong (see `discrepancies`).",
            "Senate roll 154 is a motion to concur, not 'passage'; it was the final "
            "congressional action. The public law number of H.R. 815 was not confirmed and "
            "is left blank.",
            "Party splits are counts of member records (no official split tables were found); "
            "they agree with the record's totals and with news reports.",
            "On Senate roll 332 all 49 Republicans voted Nay on cloture: a signer's Nay there "
            "says nothing beyond party.",
        ],
        "schema": {
            "fields": [
                f("vote_key", "string", "Roll-call key: h|s, roll number, congress, year.",
                  required=True, unique=True, pattern=VOTE_KEY),
                f("chamber", "string", "House or Senate.", required=True,
                  enum=["House", "Senate"]),
                f("congress", "integer", "Congress number.", required=True),
                f("session", "integer", "Session number.", required=True),
                f("roll", "integer", "Official roll-call number in its chamber and session.",
                  required=True, minimum=1),
                f("date", "date", "Date of the vote (Washington time).", required=True),
                f("time_local", "string", "Time of the vote (Washington, HH:MM).",
                  pattern="[0-9]{2}:[0-9]{2}"),
                f("bill", "string", "Bill or resolution number.", required=True),
                f("label", "string", "Short description written by the sources' curators.",
                  required=True),
                f("clerk_title", "string", "Bill title as printed in the House Clerk's record; "
                  "empty for Senate votes."),
                f("title_in_record", "string", "Bill title as printed in the official record "
                  "(both chambers; H.R. 815's is a vehicle bill's original title).",
                  required=True),
                f("vehicle_bill", "boolean", "True where the bill number carried unrelated "
                  "original text (H.R. 815).", required=True),
                f("short_title", "string", "Short title of a bill enacted as part of H.R. 815; "
                  "empty otherwise."),
                f("display_title", "string", "Title for display (curators').", required=True),
                f("enacted_as", "string", "What became of the measure, as the sources say."),
                f("question", "string", "Question put to the chamber, worded as in the "
                  "official record.", required=True),
                f("result", "string", "Result as recorded.", required=True),
                f("majority_required", "string", "Majority required (1/2, 3/5).",
                  required=True, enum=["1/2", "3/5", "2/3"]),
                f("tier", "string", "core: the final Ukraine votes of April 2024; "
                  "core_earlier: the Senate's February 2024 passage; first_vote_after_letter: "
                  "H.R. 5692 (September 2023); procedural: the House rule; contrast: the other "
                  "bills of the April package; related: Senate cloture votes.", required=True,
                  enum=TIERS),
                f("yea", "integer", "Recorded Yea total.", required=True, minimum=0),
                f("nay", "integer", "Recorded Nay total.", required=True, minimum=0),
                f("present", "integer", "Recorded Present total.", required=True, minimum=0),
                f("not_voting", "integer", "Recorded Not Voting total.", required=True,
                  minimum=0),
                *[f(f"{p}_{s}", "integer", f"{name} voting {what}.", minimum=0)
                  for p, name in (("dem", "Democrats"), ("rep", "Republicans"),
                                  ("ind", "Independents"))
                  for s, what in (("yea", "Yea"), ("nay", "Nay"), ("present", "Present"),
                                  ("not_voting", "Not Voting"))],
                f("aid_usd_billion", "number", "Ukraine aid in the measure voted on, in "
                  "billions of US dollars, where a source gives it (empty otherwise).",
                  minimum=0),
                f("aid_note", "string", "Where the aid figure comes from, or why there is "
                  "none."),
                f("public_law", "string", "Public law number; blank (not confirmed in the "
                  "sources)."),
                f("signed", "date", "Date the President signed the measure."),
                f("source_url", "string", "The official roll-call record (XML).",
                  required=True),
                f("cross_check", "string", "Independent checks of the member lists."),
                f("notes", "string", "Discrepancies in secondary sources and other notes."),
                sources_field(),
            ],
            "primaryKey": ["vote_key"],
        },
    },
    {
        "name": "house_votes",
        "title": "How each House member voted on each House roll call",
        "unit": "Each row represents one member's recorded position on one House roll call.",
        "description": "Member-level positions from the House Clerk's roll-call records (as "
        "parsed by the unitedstates/congress scraper).",
        "caveats": [
            "'Not Voting' means absent or not recorded; it is not a position on the bill (see "
            "`vote_notes` for reasons where found).",
            "A member can be missing from a roll call held before they took office or after "
            "they left.",
        ],
        "schema": {
            "fields": [
                f("vote_key", "string", "Roll call; resolves to rollcalls.", required=True),
                _bioguide("Member; resolves to members.", required=True),
                f("party", "string", "Party as recorded.", required=True, enum=PARTIES),
                f("state", "string", "State.", required=True, pattern="[A-Z]{2}"),
                f("district", "integer", "District (at-large coded 1).", required=True),
                f("position", "string", "Recorded position.", required=True, enum=POSITIONS),
                sources_field(),
            ],
            "primaryKey": ["vote_key", "bioguide_id"],
            "foreignKeys": [
                {"fields": ["vote_key"],
                 "reference": {"resource": "rollcalls", "fields": ["vote_key"]}},
                {"fields": ["bioguide_id"],
                 "reference": {"resource": "members", "fields": ["bioguide_id"]}},
            ],
        },
    },
    {
        "name": "senate_votes",
        "title": "How each senator voted on each Senate roll call",
        "unit": "Each row represents one senator's recorded position on one Senate roll call.",
        "description": "Senator-level positions from the Senate's roll-call records, keyed by "
        "Bioguide id (the LIS id is kept).",
        "caveats": [
            "'Not Voting' is not a position on the bill (see `vote_notes`: Paul's and "
            "Tuberville's absences on 2024-04-23).",
            "Party 'I' marks independents.",
        ],
        "schema": {
            "fields": [
                f("vote_key", "string", "Roll call; resolves to rollcalls.", required=True),
                _bioguide("Senator; resolves to members.", required=True),
                f("lis_member_id", "string", "Senate LIS member id.", required=True,
                  pattern="S[0-9]{3}"),
                f("name", "string", "Name (congress-legislators).", required=True),
                f("party", "string", "Party as recorded.", required=True, enum=PARTIES),
                f("state", "string", "State.", required=True, pattern="[A-Z]{2}"),
                f("position", "string", "Recorded position.", required=True, enum=POSITIONS),
                sources_field(),
            ],
            "primaryKey": ["vote_key", "bioguide_id"],
            "foreignKeys": [
                {"fields": ["vote_key"],
                 "reference": {"resource": "rollcalls", "fields": ["vote_key"]}},
                {"fields": ["bioguide_id"],
                 "reference": {"resource": "members", "fields": ["bioguide_id"]}},
            ],
        },
    },
    {
        "name": "vote_notes",
        "title": "What a recorded position does and does not show",
        "unit": "Each row represents a note on one member's position on one roll call: an "
        "absence and its reason (or that none was found), a Nay for other reasons, or a "
        "secondary source contradicting the record.",
        "description": "Reasons for absences and Nays where the sources give them, and where "
        "they do not, kept as data.",
        "caveats": [
            "A reason is recorded only where a source gives one; `reason_found` = false says "
            "none was found, not that there was none.",
        ],
        "schema": {
            "fields": [
                f("vote_key", "string", "Roll call; resolves to rollcalls.", required=True),
                _bioguide("Member; resolves to members.", required=True),
                f("name", "string", "Member's name.", required=True),
                f("position", "string", "Recorded position (checked against the record).",
                  required=True, enum=POSITIONS),
                f("topic", "string", "absence_reason, absence_no_reason, other_reason, "
                  "nay_no_reason, record_vs_secondary.", required=True,
                  enum=["absence_reason", "absence_no_reason", "other_reason",
                        "nay_no_reason", "record_vs_secondary"]),
                f("reason_found", "boolean", "True where a source gives a reason (or, for "
                  "record_vs_secondary, names the secondary claim).", required=True),
                f("note", "string", "The note, in the curators' words.", required=True),
                f("date", "date", "Date of the explanation, where there is one."),
                f("date_confidence", "string", "How sure that date is.",
                  enum=DATE_CONFIDENCE_2),
                f("date_note", "string", "How the date was established."),
                sources_field(),
            ],
            "primaryKey": ["vote_key", "bioguide_id"],
            "foreignKeys": [
                {"fields": ["vote_key"],
                 "reference": {"resource": "rollcalls", "fields": ["vote_key"]}},
                {"fields": ["bioguide_id"],
                 "reference": {"resource": "members", "fields": ["bioguide_id"]}},
            ],
        },
    },
    {
        "name": "responses",
        "title": "Dated statements on the letters, the aid and the votes",
        "unit": "Each row represents one quoted remark by one speaker on one date.",
        "description": "Reactions and statements from signers, the administration, Democrats, "
        "pro-aid Republicans, an independent who voted Nay for other reasons, and Ukraine, "
        "each with an exact quote and its sources.",
        "caveats": [
            "Quotes are short excerpts, copied exactly (including a trailing comma where the "
            "source prints one); read the source for context.",
            "Some dates are a report's date or are approximate (`date_confidence`, "
            "`date_note`); one remark (Gosar's) has only a month, so `date` is empty.",
            "Several rows rest on one copy of a report, or on an English rendering of words "
            "said in another language (see `note`).",
            "No White House reaction addressed to letter A specifically was found.",
        ],
        "schema": {
            "fields": [
                {**id_field("response_id", "r", "a label for the speaker",
                            hashed="the speaker's name and the quote"),
                 "constraints": {"required": True, "unique": True,
                                 "pattern": "r[0-9]{6,8}(-[a-z0-9]+)*-[0-9a-f]{4}"}},
                f("date", "date", "Date of the remark (or of the report; see "
                  "date_confidence); empty where only the month is known."),
                f("date_confidence", "string", "confirmed; report_date: the date is the "
                  "report's; single_copy: it rests on a single re-posted copy; inferred: "
                  "worked out from a weekday or 'today'; uncertain: approximate.",
                  required=True, enum=DATE_CONFIDENCE_2),
                f("date_note", "string", "The date as the sources give it, where it is not a "
                  "plain day."),
                f("speaker", "string", "Who said it.", required=True),
                _bioguide("Bioguide id where the speaker is a member of Congress."),
                f("role", "string", "Speaker's role at the time.", required=True),
                f("actor_type", "string", "Kind of actor (case 1's vocabulary where the "
                  "concept is the same).", required=True, enum=ACTOR_TYPES),
                f("relation_to_case", "string", "What the remark relates to.", required=True),
                f("about_letter", "boolean", "True for remarks about one of the letters "
                  "themselves.", required=True),
                f("stance", "string", "The stance in a few words (curators' summary).",
                  required=True),
                f("quote", "string", "Exact quote.", required=True),
                f("note", "string", "Caveats about the row."),
                sources_field(),
            ],
            "primaryKey": ["response_id"],
        },
    },
    {
        "name": "events",
        "title": "Timeline of the letters, the requests and the votes, 2023-2024",
        "unit": "Each row represents one dated event.",
        "description": "Events from the January 2023 oversight letter to the explanation of "
        "Sen. Paul's absence (30 April 2024): letters, funding requests, votes, enactment.",
        "caveats": [
            "Two dates are inferred from a weekday in a report and one is the date of the "
            "report that revealed the event (`date_confidence`); `date_note` says how each "
            "date was established.",
            "Roll-call totals are in `rollcalls`; events summarise them.",
        ],
        "schema": {
            "fields": [
                id_field("event_id", "e", "the category", hashed="the event's description"),
                f("event_key", "string", "Name by which policykit refers to the event.",
                  required=True, unique=True, pattern="[a-z0-9_]+"),
                f("date", "date", "When it happened.", required=True),
                f("date_public", "date", "When it became public (the same day here).",
                  required=True),
                f("date_confidence", "string", "confirmed; report_date (only the date of the "
                  "report that revealed it); or inferred (from a weekday in a report).",
                  required=True,
                  enum=DATE_CONFIDENCE_2),
                f("date_note", "string", "How the date was established, where it matters."),
                f("event", "string", "What happened (the sources' summary).", required=True),
                f("category", "string", "Category.", required=True,
                  enum=["context", "letter", "request", "congress_vote", "congress_action",
                        "administration", "enactment", "explanation"]),
                f("single_source", "boolean", "True where the event rests on one source.",
                  required=True),
                sources_field(),
            ],
            "primaryKey": ["event_id"],
        },
    },
    {
        "name": "discrepancies",
        "title": "Where secondary sources disagree with the record",
        "unit": "Each row represents one claim in a secondary source that the record or "
        "better sources contradict, or a copy that must not be quoted.",
        "description": "The case's traps kept as data: a rule vote described as passage, "
        "signer counts of 28 and 'nearly two dozen', a misdated vote and remark, a scorecard "
        "error, mid-vote tallies, a misattribution and garbled copies.",
        "caveats": [
            "Some claims' page addresses were not recorded in the sources (`claim_sources` "
            "empty; `claim_by` says so).",
        ],
        "schema": {
            "fields": [
                id_field("discrepancy_id", "x", "the topic", dated=False,
                         hashed="the claim and who made it"),
                f("topic", "string", "Kind of discrepancy.", required=True,
                  enum=["wrong_vote_description", "signer_count", "vote_date", "remark_date",
                        "vote_position", "vote_tally", "misattribution", "garbled_copy"]),
                f("subject_key", "string", "What it is about: a vote_key, letter_id or "
                  "event_key; empty otherwise."),
                _bioguide("Member concerned, where one is."),
                f("claim", "string", "What the secondary source says (curators' words; "
                  "short quotes of it in single quotes).", required=True),
                f("claim_by", "string", "Who says it.", required=True),
                f("claim_sources", "string", "Source ids of the pages making the claim.",
                  pattern=r"[a-z0-9-]+(;[a-z0-9-]+)*"),
                f("what_the_record_shows", "string", "What the record or better sources "
                  "show.", required=True),
                sources_field(),
            ],
            "primaryKey": ["discrepancy_id"],
        },
    },
    {
        "name": "sources",
        "title": "Cited sources",
        "unit": "Each row represents one cited document (a web page or a record).",
        "description": "Every source cited by a row of the other tables, the pages that "
        "establish what a state outlet is (cited in label_sources), and the copies readers "
        "should recognise and never quote.",
        "caveats": [
            "Pages were read from stored copies; many are re-posts of the original.",
            "Pages marked UNRELIABLE misattribute or garble what they copy; they are never used "
            "for wording.",
            "`provenance` 'not_established': whether the page is its publisher's own reporting "
            "or a copy was not established.",
        ],
        "schema": {
            "fields": [
                f("source_id", "string", "Identifier.", required=True, unique=True,
                  pattern="[a-z0-9-]+"),
                f("url", "string", "Address of the document.", required=True, unique=True),
                f("publisher", "string", "Who published it.", required=True),
                f("kind", "string", KINDS_TEXT, required=True, enum=KINDS),
                f("provenance", "string", "original, re_post, state_media, "
                  "re_post_of_state_media, commentary, or not_established.", required=True,
                  enum=PROVENANCES),
                f("reposted_from", "string", "For a re-post: what it copies."),
                f("reliability_note", "string", "What to bear in mind when using it."),
                label_sources_field(),
            ],
            "primaryKey": ["source_id"],
        },
    },
]
