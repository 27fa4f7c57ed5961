"""Tables of case 1 (cpc_letter_2022): package metadata, table schemas and provenance.

Each table's title, unit of observation, the caveats a reader needs, and each column's type,
constraints and description, as Frictionless Table Schema in Python data. The build
(``datasets/build/build.py``) writes them into ``datapackage.json``; the loaders read them back
from there.
"""

from __future__ import annotations

from buildkit import (
    CLERK,
    COMPILED,
    CURATION,
    DATE_CONFIDENCE,
    KINDS,
    KINDS_TEXT,
    PARTIES,
    POSITIONS,
    PUBLIC_DOMAIN,
    SENATE,
    f,
    id_field,
    label_sources_field,
    sources_field,
)

RESOURCES = [
    {
        "name": "members",
        "title": "House members of the 117th Congress",
        "unit": "Each row represents one member who served in the House during the 117th Congress "
        "(2021-2023), including members who served only part of it.",
        "description": "Voteview's member file for the 117th House: identifiers, party, seat and "
        "DW-NOMINATE ideology scores.",
        "caveats": [
            "DW-NOMINATE scores summarise a member's whole voting record; they are not a "
            "measure of views on Ukraine.",
            "Party, state and district are as Voteview records them for the 117th Congress; "
            "members who left or joined mid-term appear once.",
        ],
        "schema": {
            "fields": [
                f("bioguide_id", "string", "Congressional Bioguide identifier.", required=True,
                  unique=True, pattern="[A-Z][0-9]{6}"),
                f("icpsr", "integer", "ICPSR member identifier used by Voteview.", required=True),
                f("name", "string", "Name as Voteview prints it ('LAST, First').", required=True),
                f("party", "string", "Party: D, R or I (from Voteview party code).",
                  required=True, enum=PARTIES),
                f("state", "string", "Two-letter state abbreviation.", required=True,
                  pattern="[A-Z]{2}"),
                f("district", "integer", "District number; at-large seats are coded 1; 0 marks "
                  "a non-voting delegate or the Resident Commissioner (Voteview's coding).",
                  required=True, minimum=0),
                f("at_large", "boolean", "True for an at-large seat (the whole state).",
                  required=True),
                f("delegate", "boolean", "True for a non-voting delegate or the Resident "
                  "Commissioner (district 0): they do not vote on passage.", required=True),
                f("nominate_dim1", "number", "DW-NOMINATE first dimension (economic "
                  "left-right; negative is left).", minimum=-1, maximum=1),
                f("nominate_dim2", "number", "DW-NOMINATE second dimension.", minimum=-1,
                  maximum=1),
                f("born", "integer", "Year of birth (Voteview)."),
                sources_field(),
            ],
            "primaryKey": ["bioguide_id"],
        },
    },
    {
        "name": "signatories",
        "title": "Signers of the 24 October 2022 letter",
        "unit": "Each row represents one of the 30 House Democrats whose names appear on the "
        "letter to President Biden.",
        "description": "The letter's 30 signers with their seat, how well the name is "
        "corroborated, reported caucus membership and what they said afterwards.",
        "caveats": [
            "A signature is not a vote: signing says nothing by itself about how a member "
            "voted on aid.",
            "8 of the 30 names rest on a single published list (corroboration = 'single').",
            "Progressive Caucus membership is as reported; it was individually confirmed for "
            "only 5 signers.",
            "Signatures were gathered from June 2022; the list shows who signed, not when.",
        ],
        "schema": {
            "fields": [
                f("bioguide_id", "string", "Bioguide identifier; resolves to members.",
                  required=True, unique=True, pattern="[A-Z][0-9]{6}"),
                f("name", "string", "Full name as published.", required=True),
                f("last_name", "string", "Surname as published.", required=True),
                f("party", "string", "Party.", required=True, enum=PARTIES),
                f("state", "string", "State.", required=True, pattern="[A-Z]{2}"),
                f("district", "integer", "117th-Congress district.", required=True, minimum=1),
                f("lead_signer", "boolean", "True for the letter's lead signer.",
                  required=True),
                f("corroboration", "string", "'multiple': the name appears in independent "
                  "reports; 'single': it rests on one published list.", required=True,
                  enum=["multiple", "single"]),
                f("cpc_member_reported", "boolean", "Reported as a Congressional Progressive "
                  "Caucus member.", required=True),
                f("cpc_member_confirmed", "boolean", "Caucus membership individually "
                  "confirmed by a source.", required=True),
                f("follow_up", "string", "What the signer said or did after the release, as "
                  "reported (empty where nothing was found)."),
                sources_field(),
            ],
            "primaryKey": ["bioguide_id"],
            "foreignKeys": [{"fields": ["bioguide_id"],
                             "reference": {"resource": "members", "fields": ["bioguide_id"]}}],
        },
    },
    {
        "name": "rollcalls",
        "title": "Roll-call votes on Ukraine aid and related measures, 2022",
        "unit": "Each row represents one recorded roll-call vote (15 in the House, 9 in the "
        "Senate) of the 117th Congress, 2nd session.",
        "description": "The House and Senate roll calls on the 2022 Ukraine aid laws and "
        "related Russia/Ukraine measures, with official totals overall and by party.",
        "caveats": [
            "Vehicle bills: the Clerk lists H.R. 2471, H.R. 6833 and H.R. 2617 under their "
            "original, unrelated titles; use `short_title` for display.",
            "The March 2022 omnibus (H.R. 2471) was split into two House votes, each covering "
            "only what its question text names: roll 65 'Divisions B,C,F,X,Z, titles 2&3 of "
            "Division N' (Division N is the Ukraine supplemental, so roll 65 held part of it), "
            "roll 66 the 'Remaining Divisions'. Neither vote carried the whole Ukraine "
            "supplemental; neither has a dollar figure (`divided_question`, `aid_note`).",
            "S. 3522 (Lend-Lease) passed the Senate without a roll call: there is no Senate "
            "tally for it here.",
            "Aid amounts come from news and CRS reporting, not from bill text; sources "
            "disagree in the decimals.",
        ],
        "schema": {
            "fields": [
                f("vote_key", "string", "Roll-call key: h|s, roll number, congress, year.",
                  required=True, unique=True, pattern=r"[hs][0-9]+-117\.2022"),
                f("chamber", "string", "House or Senate.", required=True,
                  enum=["House", "Senate"]),
                f("congress", "integer", "Congress number.", required=True),
                f("session", "integer", "Session number.", required=True),
                f("roll", "integer", "Official roll-call number in its chamber and session.",
                  required=True, minimum=1),
                f("date", "date", "Date of the vote.", required=True),
                f("time_local", "string", "Time of the vote (Washington, HH:MM).",
                  pattern="[0-9]{2}:[0-9]{2}"),
                f("bill", "string", "Bill or resolution number.", required=True),
                f("label", "string", "Short description written by the curators.",
                  required=True),
                f("clerk_title", "string", "Bill title as printed in the House Clerk's record "
                  "(may be a vehicle bill's original title); empty for Senate votes."),
                f("short_title", "string", "Enacted short title where the measure became law; "
                  "empty otherwise."),
                f("display_title", "string", "Short title where known, else the Clerk title.",
                  required=True),
                f("question", "string", "Question put to the chamber, worded as in the "
                  "official record; for a divided question it names the part voted on.",
                  required=True),
                f("result", "string", "Result as recorded.", required=True),
                f("majority_required", "string", "Majority required (1/2, 3/5, 2/3).",
                  required=True, enum=["1/2", "3/5", "2/3"]),
                f("tier", "string", "core: the aid laws; optional: oil ban and trade status; "
                  "related: resolutions, smaller acts and cloture votes.", required=True,
                  enum=["core", "optional", "related"]),
                f("yea", "integer", "Recorded Yea total.", required=True, minimum=0),
                f("nay", "integer", "Recorded Nay total.", required=True, minimum=0),
                f("present", "integer", "Recorded Present total.", required=True, minimum=0),
                f("not_voting", "integer", "Recorded Not Voting total.", required=True,
                  minimum=0),
                f("dem_yea", "integer", "Democrats voting Yea.", minimum=0),
                f("dem_nay", "integer", "Democrats voting Nay.", minimum=0),
                f("dem_present", "integer", "Democrats voting Present (House only).",
                  minimum=0),
                f("dem_not_voting", "integer", "Democrats not voting.", minimum=0),
                f("rep_yea", "integer", "Republicans voting Yea.", minimum=0),
                f("rep_nay", "integer", "Republicans voting Nay.", minimum=0),
                f("rep_present", "integer", "Republicans voting Present (House only).",
                  minimum=0),
                f("rep_not_voting", "integer", "Republicans not voting.", minimum=0),
                f("ind_yea", "integer", "Independents voting Yea.", minimum=0),
                f("ind_nay", "integer", "Independents voting Nay.", minimum=0),
                f("ind_not_voting", "integer", "Independents not voting (Senate only).",
                  minimum=0),
                f("voteview_rollnumber", "integer", "Voteview's roll number (House only)."),
                f("voteview_yea", "integer", "Yea total in Voteview (House only; an "
                  "independent check)."),
                f("voteview_nay", "integer", "Nay total in Voteview (House only)."),
                f("divided_question", "string", "Where the chamber divided the question: "
                  "which part of the measure this vote covered, from the question text; empty "
                  "where the vote was on the whole question."),
                f("aid_usd_billion", "number", "Ukraine aid in the measure voted on, in "
                  "billions of US dollars, as reported for the enacted law; only on votes on "
                  "the whole measure (empty for cloture votes, for each part of a divided "
                  "question, and where the vote carried no aid or no figure is sourced).",
                  minimum=0),
                f("aid_note", "string", "How the aid figure is reported and where sources "
                  "disagree."),
                f("public_law", "string", "Public law number where enacted."),
                f("public_law_inferred", "boolean", "True where the public law number is "
                  "inferred rather than read from a record."),
                f("signed", "date", "Date the President signed the measure."),
                f("source_url", "string", "The official roll-call record (XML).",
                  required=True),
                sources_field(),
            ],
            "primaryKey": ["vote_key"],
        },
    },
    {
        "name": "house_votes",
        "title": "How each House member voted on each roll call",
        "unit": "Each row represents one member's recorded position on one House roll call.",
        "description": "Member-level positions from the House Clerk's roll-call records.",
        "caveats": [
            "A member can be missing from a roll call held before they took office or after "
            "they left.",
            "'Not Voting' means absent or not recorded; it is not a position on the bill.",
        ],
        "schema": {
            "fields": [
                f("vote_key", "string", "Roll call; resolves to rollcalls.", required=True),
                f("bioguide_id", "string", "Member; resolves to members.", required=True),
                f("party", "string", "Party as recorded on the roll call.", required=True,
                  enum=PARTIES),
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
        "description": "Senator-level positions from the Senate's roll-call records.",
        "caveats": [
            "Senators are identified by their Senate LIS id; the members table covers the "
            "House only.",
            "Party 'I' marks the two independents, who caucused with the Democrats.",
        ],
        "schema": {
            "fields": [
                f("vote_key", "string", "Roll call; resolves to rollcalls.", required=True),
                f("lis_member_id", "string", "Senate LIS member id.", required=True,
                  pattern="S[0-9]{3}"),
                f("first_name", "string", "First name.", required=True),
                f("last_name", "string", "Last name.", required=True),
                f("party", "string", "Party.", required=True, enum=PARTIES),
                f("state", "string", "State.", required=True, pattern="[A-Z]{2}"),
                f("position", "string", "Recorded position.", required=True, enum=POSITIONS),
                sources_field(),
            ],
            "primaryKey": ["vote_key", "lis_member_id"],
            "foreignKeys": [{"fields": ["vote_key"],
                             "reference": {"resource": "rollcalls", "fields": ["vote_key"]}}],
        },
    },
    {
        "name": "letter_passages",
        "title": "Verified passages of the letter (incomplete text)",
        "unit": "Each row represents one passage of the letter whose exact wording is confirmed "
        "by at least one faithful source.",
        "description": "THE LETTER TEXT IS INCOMPLETE: no complete faithful copy could be "
        "obtained. These are the passages whose wording is verified, in letter order where "
        "known.",
        "caveats": [
            "This is not the full letter. Passages between and after these are missing.",
            "Paragraph positions are known only for paragraph openings; other passages have "
            "no position.",
            "Some copies circulating online are spun or back-translated; they are not used.",
        ],
        "schema": {
            "fields": [
                id_field("passage_id", "p", "its first two words", dated=False),
                f("paragraph", "integer", "Paragraph number in the letter where known.",
                  minimum=1),
                f("kind", "string", "paragraph_opening: the first words of a paragraph; "
                  "sentence: a verified sentence or clause; quoted_remark: a remark of "
                  "President Biden quoted inside the letter.", required=True,
                  enum=["paragraph_opening", "sentence", "quoted_remark"]),
                f("text", "string", "Exact wording as verified.", required=True),
                f("truncated", "boolean", "True where only the start of a longer sentence "
                  "is verified.", required=True),
                f("key_phrases", "string", "Key phrases of the letter found in this passage, "
                  "';'-separated."),
                f("variant_note", "string", "How copies differ in wording, where they do."),
                sources_field(),
            ],
            "primaryKey": ["passage_id"],
        },
    },
    {
        "name": "letter_drafts",
        "title": "Wording of an earlier draft of the letter, as quoted at the time",
        "unit": "Each row represents one passage of an earlier draft, quoted by a third party "
        "while the letter was still gathering signatures.",
        "description": "What the letter said before it was released, known only through a "
        "contemporary quotation; compare with `letter_passages`.",
        "caveats": [
            "The draft itself is not available: these are a third party's quotations of it.",
            "A difference from the released text can be a copying error by the quoting source.",
            "That the text changed between July and October is an inference from such "
            "comparisons, not a documented fact.",
        ],
        "schema": {
            "fields": [
                id_field("draft_id", "d", ""),
                f("quoted_on", "date", "Date of the publication that quotes the draft.",
                  required=True),
                f("quoted_by", "string", "Who quoted it.", required=True),
                f("text", "string", "The draft's wording exactly as quoted.", required=True),
                f("released_passage_id", "string", "The verified released passage it "
                  "corresponds to (letter_passages.passage_id); empty where the released "
                  "wording is not verified."),
                f("comparison_note", "string", "How the draft differs from the released text, "
                  "and how sure that is.", required=True),
                sources_field(),
            ],
            "primaryKey": ["draft_id"],
            "foreignKeys": [{"fields": ["released_passage_id"],
                             "reference": {"resource": "letter_passages",
                                           "fields": ["passage_id"]}}],
        },
    },
    {
        "name": "statements",
        "title": "The caucus's own statements on the letter",
        "unit": "Each row represents one quoted sentence of the caucus's clarification "
        "(24 October 2022) or withdrawal (25 October 2022).",
        "description": "The letter's lifecycle in the caucus's own words. The withdrawal is "
        "whole: its decision, the reasons it gives (the release without vetting; the letter "
        "being conflated with Leader McCarthy's remark about ending aid), and its claim that "
        "Democrats 'strongly and unanimously supported and voted for every package' of "
        "assistance, which policykit.claims.every_package checks against the roll calls.",
        "caveats": [
            "Only sentences quoted exactly in the sources are included; the clarification is "
            "longer than its three sentences here.",
            "The withdrawal's sentence order (`position`) is as printed in one full copy "
            "(Mediaite, 25 October 2022); no primary copy from the caucus was found. The "
            "clarification's order is not known.",
            "Some sentences rest on a single source (`single_source`); copies differ in "
            "wording (`variant_note`, `statement_note`).",
            "`role` is the curators' reading of what a sentence does in the statement.",
        ],
        "schema": {
            "fields": [
                id_field("statement_id", "s", "'cla' or 'wit'", hashed="the quote"),
                f("statement", "string", "Which statement.", required=True,
                  enum=["clarification", "withdrawal"]),
                f("date", "date", "Date issued.", required=True),
                f("time_note", "string", "Time of day as reported."),
                f("speaker", "string", "Who issued it.", required=True),
                f("position", "integer", "Place of the sentence in the statement (1 = "
                  "first), where known.", minimum=1),
                f("role", "string", "What the sentence does (curators' reading): decision, "
                  "stated_reason (a reason the statement gives), responsibility, position.",
                  required=True,
                  enum=["decision", "stated_reason", "responsibility", "position"]),
                f("key_quote", "boolean", "True for the statement's central sentence.",
                  required=True),
                f("quote", "string", "Exact quoted sentence.", required=True),
                f("single_source", "boolean", "True where the exact wording rests on one "
                  "source.", required=True),
                f("variant_note", "string", "How copies of this sentence differ in wording."),
                f("statement_note", "string", "Wording variants noted for the statement as a "
                  "whole."),
                f("related_reporting", "string", "Related reporting about the statement."),
                sources_field(),
            ],
            "primaryKey": ["statement_id"],
        },
    },
    {
        "name": "responses",
        "title": "Dated reactions to the letter and its context",
        "unit": "Each row represents one quoted remark by one person on one date.",
        "description": "Reactions from the administration, signers, Democratic colleagues, "
        "Republicans and others, each with an exact quote and its sources.",
        "caveats": [
            "Quotes are short excerpts; read the source for context.",
            "Some dates are the date of the report, not of the remark (see date_confidence).",
            "Voices missing, because no faithful, attributable quote was found in the stored "
            "pages (searched by name; see datasets/cpc_letter_2022/curation/README.md): a "
            "sitting Republican member of Congress on the letter itself (McCarthy's 'blank check' "
            "remark predates it; the one Republican reacting to it, Ed Thelander, was a "
            "candidate); a Russian official on the letter (Kremlin spokesman Peskov's words "
            "of 30 October do not mention it); any named endorsing organisation (none of the "
            "eight in `organizations` published a reaction that was found; one endorsing-group "
            "leader spoke to Politico anonymously).",
            "Advocacy groups: of the two rows, one speaker is anonymous and the other group "
            "(Historians for Peace and Democracy) reacted to the July draft and is not a listed "
            "endorser. Experts: three commentators, none supporting the letter; no expert "
            "defending it was found. Absence here is not evidence of silence.",
            "Many foreign officials' words are translations, and several rows rest on one "
            "re-posted copy of a report, sometimes of Russian state media: read `note`, "
            "`date_confidence` and the sources' `provenance`.",
            "Held back from the additions: Karine Jean-Pierre's 24 October remark in RT's copy "
            "(troib.com), whose insertion '[Vladimir]' gives Zelensky a wrong first name.",
        ],
        "schema": {
            "fields": [
                id_field("response_id", "r", "the speaker's last name",
                         hashed="the speaker's name and the quote"),
                f("date", "date", "Date of the remark (or of the report; see "
                  "date_confidence).", required=True),
                f("date_confidence", "string", "confirmed; report_date: the date is the "
                  "report's; secondary_only: the date rests on secondary outlets only; "
                  "single_copy: it rests on a single re-posted copy of a report; "
                  "uncertain.", required=True, enum=DATE_CONFIDENCE),
                f("speaker", "string", "Who said it.", required=True),
                f("bioguide_id", "string", "Bioguide id where the speaker is a House member."),
                f("role", "string", "Speaker's role at the time.", required=True),
                f("actor_type", "string", "Kind of actor.", required=True,
                  enum=["administration", "signatory", "democratic_colleague", "republican",
                        "foreign_government", "expert", "advocacy_group", "other"]),
                f("perspective", "string", "Which side of the story the remark stands on "
                  "(curators' grouping of the stance).", required=True,
                  enum=["signer_stood_by", "signer_walked_back", "signer_other",
                        "caucus_leadership", "administration", "democratic_critic",
                        "republican", "foreign_government", "expert", "advocacy_group",
                        "other"]),
                f("about_letter", "boolean", "False for remarks that do not refer to the "
                  "letter (context remarks made before it was public, or words a report links "
                  "to it although they do not mention it).", required=True),
                f("stance", "string", "The stance in a few words (curators' summary).",
                  required=True),
                f("view_of_letter", "string", "Where the remark stands on the letter "
                  "(curators' reading): supports (speaks for the letter or its call for "
                  "diplomacy); mixed (defends its aim, faults its timing or rollout); critical "
                  "(argues against it); distances (a signer or the caucus walks it back or backs "
                  "the withdrawal); no_position (answers without taking a side: restates "
                  "policy, declines comment); context (not about the letter).", required=True,
                  enum=["supports", "mixed", "critical", "distances", "no_position",
                        "context"]),
                f("quote", "string", "Exact quote.", required=True),
                f("note", "string", "Caveats about the row."),
                sources_field(),
            ],
            "primaryKey": ["response_id"],
        },
    },
    {
        "name": "organizations",
        "title": "Organisations that endorsed the letter (partial list)",
        "unit": "Each row represents one organisation named as an endorser of the letter.",
        "description": "The endorsers named in Truthout's partial list, with any published "
        "reaction to the letter's release or withdrawal that a source records.",
        "caveats": [
            "The list is partial: the stored copy of the report breaks off after these names, "
            "so more endorsers may exist.",
            "No published reaction was found for any of them (searched by name with the "
            "letter, the caucus and the withdrawal); an empty reaction is not evidence of "
            "silence.",
        ],
        "schema": {
            "fields": [
                f("organization_id", "string", "Identifier derived from the name.",
                  required=True, unique=True, pattern="[a-z0-9]+(-[a-z0-9]+)*"),
                f("name", "string", "Name as listed.", required=True),
                f("role_in_letter", "string", "What the organisation did, and who says so.",
                  required=True),
                f("reaction_found", "boolean", "True where a published reaction was found.",
                  required=True),
                f("reaction_quote", "string", "Its reaction, exactly as published (empty where "
                  "none was found)."),
                f("reaction_date", "date", "Date of the reaction."),
                f("date_confidence", "string", "How sure the date is (as in responses).",
                  enum=DATE_CONFIDENCE),
                f("note", "string", "What was looked for and what was found.", required=True),
                sources_field(),
            ],
            "primaryKey": ["organization_id"],
        },
    },
    {
        "name": "events",
        "title": "Timeline of the war, the aid and the letter, 2022",
        "unit": "Each row represents one dated event.",
        "description": "Events from the invasion (24 Feb 2022) to the FY2023 omnibus "
        "(29 Dec 2022): war, aid enactments, the letter's lifecycle, remarks, the midterms.",
        "caveats": [
            "`date` is when it happened; `date_public` is when it became publicly known. "
            "They differ for the letter's signing.",
            "Roll-call votes are in `rollcalls`, not here.",
        ],
        "schema": {
            "fields": [
                id_field("event_id", "e", "the category", hashed="the event's description"),
                f("event_key", "string", "Name by which policykit refers to the event (e.g. "
                  "'withdrawal' in policykit.claims.event_date); empty for other events.",
                  unique=True, pattern="[a-z_]+"),
                f("date", "date", "When it happened.", required=True),
                f("date_public", "date", "When it became public.", required=True),
                f("date_public_note", "string", "How date_public was established, where it "
                  "differs from date."),
                f("event", "string", "What happened (curators' summary).", required=True),
                f("category", "string", "Category.", required=True,
                  enum=["war", "congress_vote", "letter", "administration", "election"]),
                f("single_source", "boolean", "True where the event rests on one source.",
                  required=True),
                sources_field(),
            ],
            "primaryKey": ["event_id"],
        },
    },
    {
        "name": "sources",
        "title": "Cited sources",
        "unit": "Each row represents one cited document (a web page or a record).",
        "description": "Every source cited by a row of the other tables, and the pages that "
        "establish what a state outlet is (cited in label_sources).",
        "caveats": [
            "Pages were read from stored copies; some are mirrors or re-posts of the "
            "original.",
            "Re-posts marked UNRELIABLE are listed so readers can recognise them; they are "
            "never used for wording.",
            "`provenance` is the curators' label for the page (by its host unless the page "
            "differs); a re-post carries the wording of what it copies, not independent "
            "confirmation.",
        ],
        "schema": {
            "fields": [
                f("source_id", "string", "Identifier.", required=True, unique=True,
                  pattern="[a-z0-9-]+"),
                f("url", "string", "Address of the document.", required=True, unique=True),
                f("publisher", "string", "Who published it.", required=True),
                f("kind", "string", KINDS_TEXT, required=True, enum=KINDS),
                f("provenance", "string", "Where the text comes from: original (the "
                  "publisher's own reporting, record or statement); re_post (a copy of another "
                  "publisher's article, named in reposted_from); state_media (an outlet owned "
                  "or funded by a government); re_post_of_state_media (a copy of such an "
                  "outlet's article, e.g. RT or Sputnik); commentary (opinion, op-ed, blog).",
                  required=True, enum=["original", "re_post", "state_media",
                                       "re_post_of_state_media", "commentary"]),
                f("reposted_from", "string", "For a re-post: the article or outlet it copies "
                  "(the page is labelled as that, not as the outlet it quotes)."),
                f("reliability_note", "string", "What to bear in mind when using it."),
                label_sources_field(),
            ],
            "primaryKey": ["source_id"],
        },
    },
]

# --- Provenance of each table (written into datapackage.json as Frictionless `sources` and
# `licenses`; the loaders, describe() and cite() read them from there) --------------------------

VOTEVIEW = {"title": "Lewis, Jeffrey B., Keith Poole, Howard Rosenthal, Adam Boche, Aaron "
            "Rudkin, and Luke Sonnet. Voteview: Congressional Roll-Call Votes Database.",
            "path": "https://voteview.com/"}
SCRAPER = {"title": "Roll-call files in the format of the public-domain unitedstates/congress "
           "scraper (b-j-roberts/legislator-search-hackathon)",
           "path": "https://github.com/b-j-roberts/legislator-search-hackathon"}
CITED = {"title": "News reports and official statements: each row's `sources` column lists "
         "the ids of the documents it rests on; policykit.load('sources') resolves them to "
         "URLs", "path": "sources.csv"}
VOTEVIEW_TERMS = {"name": "unknown", "title": "Voteview: licence terms not stated; credit the "
                  "authors"}

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

PACKAGE = {
    "name": "policykit-cpc-ukraine-letter-2022",
    "title": "The October 2022 Progressive Caucus letter on Ukraine: text, signers, votes, "
             "responses and timeline",
    "description": "Curated, sourced tables about the letter of 24 October 2022 from 30 House "
                   "Democrats to President Biden on diplomacy over the war in Ukraine, its "
                   "withdrawal, the reactions, and the 2022 Ukraine aid votes.",
    "version": "1.0.0",
    "licenses": [
        {"name": "public-domain", "title": "US government works (roll-call records)"},
        {"name": "unknown", "title": "Voteview data: licence terms not stated; credit "
         "Lewis, Poole, Rosenthal, Boche, Rudkin and Sonnet, Voteview."},
        {"name": "CC-BY-4.0", "title": "Curation and classifications by the policykit "
         "authors", "path": "https://creativecommons.org/licenses/by/4.0/"},
    ],
    "sources": [CLERK, SENATE, VOTEVIEW, SCRAPER, CITED],
}
