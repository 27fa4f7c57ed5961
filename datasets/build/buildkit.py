"""Generic machinery that builds a policykit case (a Frictionless data package) from its sources.

Nothing here names a case. A case folder ``datasets/<case_id>/`` holds ``case.json`` (copied
verbatim into the descriptor's ``policykit`` property), ``steps.py`` (the case's build steps,
see README.md in this folder) and ``curation/`` (curated facts as CSV/JSON data files). The CLI
is ``build.py`` next to this module.
"""

from __future__ import annotations

import csv
import hashlib
import importlib.util
import io
import json
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import urlparse

__all__ = [
    "CLERK", "COMPILED", "CURATION", "DATE_CONFIDENCE", "KINDS", "KINDS_TEXT", "PARTIES",
    "POSITIONS", "PUBLIC_DOMAIN", "PUBLISHERS", "SENATE", "SOURCE_IDS", "SOURCE_PATTERN",
    "STATE_MEDIA",
    "BuildError", "Context", "SourceRegistry", "build_case", "case_dirs", "check_table",
    "check_unique", "content_id", "descriptor", "f", "github_url", "id_field",
    "label_sources_field", "load_module", "load_steps", "read_csv", "read_json",
    "read_publishers", "resource", "slug", "sources_field", "split_urls", "starts_with", "to_csv",
]

HERE = Path(__file__).resolve().parent
#: The publishers table shared by every case: one line per web host (see README.md).
PUBLISHERS = HERE / "publishers.csv"

# --- Provenance shared by cases (Frictionless `sources` / `licenses` entries of a resource) -----

CLERK = {"title": "Office of the Clerk, U.S. House of Representatives: roll-call votes",
         "path": "https://clerk.house.gov/Votes"}
SENATE = {"title": "U.S. Senate: roll-call votes",
          "path": "https://www.senate.gov/legislative/votes_new.htm"}
COMPILED = {"title": "Compiled by the policykit authors from the documents the other tables "
            "cite"}
PUBLIC_DOMAIN = {"name": "public-domain", "title": "US government works"}
CURATION = {"name": "CC-BY-4.0", "title": "Curation by the policykit authors; quotes remain "
            "their speakers' words", "path": "https://creativecommons.org/licenses/by/4.0/"}

# --- Shared column vocabularies (the kit's role tables use them) -------------------------------

SOURCE_IDS = "Source ids, ';'-separated; each resolves to `sources.source_id`."
SOURCE_PATTERN = r"[a-z0-9-]+(;[a-z0-9-]+)*"
POSITIONS = ["Yea", "Nay", "Present", "Not Voting"]
PARTIES = ["D", "R", "I"]
DATE_CONFIDENCE = ["confirmed", "report_date", "secondary_only", "single_copy", "uncertain"]
#: What a cited document is (the ``kind`` column of ``sources``).
KINDS = ["public_record", "official_statement", "news", "commentary", "re_post", "reference"]
KINDS_TEXT = ("public_record, official_statement, news, commentary, re_post, or reference (a "
              "reference work or research database, cited for what an outlet is).")
#: Provenances that say what the outlet is: the host's ``label_sources`` must back them.
STATE_MEDIA = ("state_media", "re_post_of_state_media")


class BuildError(SystemExit):
    """A build input is wrong; the message says which file and row, and what to do."""


# --- Reading -----------------------------------------------------------------------------------

def read_csv(path: Path) -> list[dict[str, str]]:
    """Rows of a UTF-8 CSV file as dicts of strings."""
    with Path(path).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def read_json(path: Path) -> Any:
    """A UTF-8 JSON file."""
    return json.loads(Path(path).read_text(encoding="utf-8"))


def split_urls(text: str) -> list[str]:
    """The URLs of a ``;``-separated list (blank items dropped)."""
    return [u.strip() for u in text.split(";") if u.strip()]


def _url_and_note(item: str) -> tuple[str, str]:
    """'URL (note)' -> (URL, note); a bare URL -> (URL, '')."""
    url, _, note = item.partition(" (")
    return url.strip(), note.strip().removesuffix(")").strip()


def github_url(ref: str) -> str:
    """'github:owner/repo@sha:path (note)' -> the file's GitHub URL; 'github:owner/repo' -> repo."""
    body = ref.split(" (")[0].strip().removeprefix("github:")
    if "@" not in body:
        return f"https://github.com/{body}"
    repo, rest = body.split("@", 1)
    sha, path = rest.split(":", 1)
    return f"https://github.com/{repo}/blob/{sha}/{path}"


def starts_with(table: Any, text: str, what: str = "text") -> str:
    """The one key of ``table`` that ``text`` starts with; a BuildError if none or several."""
    hits = [k for k in table if text.startswith(k)]
    if len(hits) != 1:
        raise BuildError(f"{what} not classified (matches {hits}): {text[:60]!r}")
    return hits[0]


# --- Ids ---------------------------------------------------------------------------------------

def slug(text: str) -> str:
    """Lower-case ASCII words joined by '-' ('Watson Coleman' -> 'watson-coleman')."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def content_id(prefix: str, date: str, label: str, *content: str) -> str:
    """An id derived from a row's content, so that it never moves when rows are added.

    ``<prefix><yyyymmdd>-<label>-<4 hex digits>``: the date and a readable label locate the
    row, the digits are the start of the SHA-1 of its defining text (a quote, a passage, an
    event's description). Ids change only when that content changes; ``check_unique`` checks
    that they are unique.
    """
    digest = hashlib.sha1("\n".join(content).encode("utf-8")).hexdigest()[:4]
    parts = [prefix + date.replace("-", ""), slug(label), digest]
    return "-".join(p for p in parts if p)


def check_unique(rows: list[dict], key: str) -> None:
    """Stop the build if two rows share a value of ``key``."""
    seen: set[str] = set()
    for r in rows:
        if r[key] in seen:
            raise BuildError(f"two rows get the id {r[key]!r}: lengthen the digest in "
                             "content_id or change one row's label")
        seen.add(r[key])


# --- Sources -----------------------------------------------------------------------------------

def read_publishers(*paths: Path) -> dict[str, dict[str, str]]:
    """The publishers tables merged by host; a host listed twice must have identical lines."""
    out: dict[str, dict[str, str]] = {}
    for path in paths:
        if not Path(path).exists():
            continue
        for r in read_csv(path):
            if r["domain"] in out and out[r["domain"]] != r:
                raise BuildError(f"{path}: host {r['domain']!r} is already classified "
                                 "differently in another publishers table")
            out[r["domain"]] = r
    return out


class SourceRegistry:
    """Assigns stable ids to URLs and records their publisher and kind.

    ``publishers`` maps a host to its line of publishers.csv; ``notes`` adds a note to one
    URL's reliability_note; ``url_provenance`` overrides one page's provenance:
    url -> (provenance, what it re-posts).
    """

    def __init__(self, publishers: dict[str, dict[str, str]],
                 notes: dict[str, str] | None = None,
                 url_provenance: dict[str, tuple[str, str]] | None = None):
        self.publishers = publishers
        self.notes = dict(notes or {})
        self.url_provenance = dict(url_provenance or {})
        self.by_url: dict[str, str] = {}

    def _publisher(self, url: str) -> dict[str, str]:
        host = urlparse(url).netloc
        if host not in self.publishers:
            raise BuildError(f"unclassified source host {host!r} ({url}): add it to "
                             "datasets/build/publishers.csv or the case's "
                             "curation/publishers.csv")
        return self.publishers[host]

    def ids(self, urls: list[str]) -> str:
        """The ``;``-joined ids of ``urls`` (registering them); a row needs one at least."""
        if not urls:
            raise BuildError("a row without a source: every row needs the URL of at least one "
                             "document it rests on")
        return ";".join(self.add(u) for u in urls)

    def add(self, url: str) -> str:
        """Register ``url`` and return its id: host stem + 6 hex digits of its SHA-1."""
        if url not in self.by_url:
            self._publisher(url)  # the host must be classified
            host = urlparse(url).netloc
            stem = host.removeprefix("www.").split(".")
            stem = [s for s in stem if s not in {"com", "org", "net", "gov", "co", "uk", "eu"}]
            name = "-".join(stem)[:24].strip("-")
            digest = hashlib.sha1(url.encode()).hexdigest()[:6]
            self.by_url[url] = f"{name}-{digest}"
        return self.by_url[url]

    def provenance(self, url: str) -> str:
        """The page's provenance (original, re_post, ...), checking its host is classified."""
        pub = self._publisher(url)
        return self.url_provenance.get(url, (pub["provenance"], ""))[0]

    def label_sources(self, url: str) -> list[str]:
        """The URLs that establish what a state-media label says about ``url``'s outlet (its
        host's ``label_sources``: ``URL (what the page is)`` items, ``;``-separated; the note
        joins that page's reliability note); a BuildError if such a label has none."""
        pub = self._publisher(url)
        prov = self.url_provenance.get(url, (pub["provenance"], ""))[0]
        entries = [_url_and_note(item) for item in split_urls(pub.get("label_sources", ""))]
        if prov in STATE_MEDIA and not entries:
            raise BuildError(f"{url}: its provenance {prov!r} says what the outlet is; give the "
                             "pages that establish it in the host's label_sources column of "
                             "a publishers table")
        if prov not in STATE_MEDIA:
            return []
        for page, note in entries:
            if note and self.notes.setdefault(page, note) != note:
                raise BuildError(f"label source {page} is described twice, differently: "
                                 f"{self.notes[page]!r} and {note!r}")
        return [page for page, _ in entries]

    def rows(self) -> list[dict[str, object]]:
        """The ``sources`` table: one row per registered URL, ordered by id. The pages a row's
        ``label_sources`` cites are registered too, and are rows of their own."""
        labels: dict[str, list[str]] = {}
        while len(labels) < len(self.by_url):  # a label source may have label sources
            for url in [u for u in self.by_url if u not in labels]:
                labels[url] = [self.add(u) for u in self.label_sources(url)]
        out = []
        for url, sid in sorted(self.by_url.items(), key=lambda kv: kv[1]):
            pub = self.publishers[urlparse(url).netloc]
            note = " ".join(x for x in (pub["reliability_note"], self.notes.get(url, "")) if x)
            prov, origin = self.url_provenance.get(url, (pub["provenance"],
                                                         pub["reposted_from"]))
            out.append({"source_id": sid, "url": url, "publisher": pub["publisher"],
                        "kind": pub["kind"], "provenance": prov, "reposted_from": origin,
                        "reliability_note": note, "label_sources": ";".join(labels[url])})
        return out


# --- Schema helpers ----------------------------------------------------------------------------

def f(name: str, type_: str, description: str, **constraints: Any) -> dict[str, Any]:
    """A Table Schema field; dates get the format ``%Y-%m-%d``."""
    fd: dict[str, Any] = {"name": name, "type": type_, "description": description}
    if type_ == "date":
        fd["format"] = "%Y-%m-%d"
    if constraints:
        fd["constraints"] = constraints
    return fd


def id_field(name: str, prefix: str, what: str, dated: bool = True,
             hashed: str = "its text") -> dict[str, Any]:
    """A row id derived from the row's content (see ``content_id``)."""
    date = "[0-9]{8}" if dated else ""
    label = f" + '-' + {what}" if what else ""
    how = (f"'{prefix}' + date (YYYYMMDD){label} + '-' + 4 hex digits of the SHA-1 of "
           if dated else f"'{prefix}'{label} + '-' + 4 hex digits of the SHA-1 of ")
    return f(name, "string", f"Identifier derived from the row's content: {how}{hashed}. "
             "It does not change when rows are added or reordered.", required=True,
             unique=True, pattern=f"{prefix}{date}(-[a-z0-9]+)*-[0-9a-f]{{4}}")


def sources_field() -> dict[str, Any]:
    """The ``sources`` column every curated table has."""
    return f("sources", "string", SOURCE_IDS, required=True, pattern=SOURCE_PATTERN)


def label_sources_field() -> dict[str, Any]:
    """The ``label_sources`` column of a ``sources`` table (filled by the registry)."""
    return f("label_sources", "string", "For a state-media label (provenance state_media or "
             "re_post_of_state_media): the sources that establish what the outlet is (its "
             "owner or funding); ids, ';'-separated, each resolving to `sources.source_id`. "
             "Empty for other rows.", pattern=SOURCE_PATTERN)


# --- Cases and their steps ---------------------------------------------------------------------

@dataclass
class Context:
    """What a case's ``tables(ctx)`` gets.

    ``sources`` is the case's raw-source folder (the sources folder plus the steps' SOURCES
    sub-folder), ``case_dir`` the case folder, ``curation`` its ``curation/`` folder and
    ``registry`` the SourceRegistry that turns URLs into source ids (its rows become the
    ``sources`` table unless ``tables`` returns one).
    """

    case_id: str
    case_dir: Path
    sources: Path
    registry: SourceRegistry
    log: list[str] = field(default_factory=list)

    @property
    def curation(self) -> Path:
        return self.case_dir / "curation"

    def source_csv(self, rel: str) -> list[dict[str, str]]:
        """Rows of a raw-source CSV, path relative to the case's sources folder."""
        return read_csv(self.sources / rel)

    def source_json(self, rel: str) -> Any:
        return read_json(self.sources / rel)

    def curated_csv(self, name: str) -> list[dict[str, str]]:
        """Rows of ``curation/<name>``; an empty list if the file does not exist."""
        path = self.curation / name
        return read_csv(path) if path.exists() else []

    def curated_json(self, name: str) -> Any:
        return read_json(self.curation / name)

    def ids(self, urls: list[str]) -> str:
        """Shortcut for ``registry.ids``."""
        return self.registry.ids(urls)

    def note(self, message: str) -> None:
        """Report something the build decided (printed to stderr by the CLI)."""
        self.log.append(message)


def load_module(path: Path, name: str | None = None) -> ModuleType:
    """Import a file as a module under a unique name (two cases may both have a schema.py)."""
    path = Path(path).resolve()
    name = name or f"policykit_case_{path.parent.name}_{path.stem}"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def load_steps(case_dir: Path) -> ModuleType:
    """The case's ``steps.py``, checked for the interface README.md describes."""
    module = load_module(Path(case_dir) / "steps.py")
    missing = [a for a in ("PACKAGE", "RESOURCES", "PROVENANCE", "tables")
               if not hasattr(module, a)]
    if missing:
        raise BuildError(f"{case_dir / 'steps.py'}: missing {', '.join(missing)} (see "
                         "datasets/build/README.md)")
    return module


def case_dirs(datasets: Path) -> list[Path]:
    """Every case folder under ``datasets`` (one with a steps.py), by name."""
    return sorted(p.parent for p in Path(datasets).glob("*/steps.py"))


# --- Checking ----------------------------------------------------------------------------------

def _text(v: object) -> str:
    return "true" if v is True else "false" if v is False else "" if v is None else str(v)


def _type_ok(type_: str, v: str) -> bool:
    if type_ == "integer":
        return re.fullmatch(r"-?[0-9]+", v) is not None
    if type_ == "number":
        return re.fullmatch(r"-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?", v) is not None
    if type_ == "boolean":
        return v in {"true", "false"}
    if type_ == "date":
        try:
            return datetime.strptime(v, "%Y-%m-%d").strftime("%Y-%m-%d") == v
        except ValueError:
            return False
    return True


def check_table(rows: list[dict], spec: dict, where: str = "") -> None:
    """Stop the build where a row breaks its table's schema.

    Checks what Frictionless would: each value's type, ``required``, ``enum``, ``pattern``,
    ``minimum``/``maximum`` and ``unique``, and the ``primaryKey``; an empty value is missing.
    The message names the table, the row (its line in the CSV) and the column.
    """
    fields = spec["schema"]["fields"]
    where = where or spec["name"]
    seen: dict[str, set[str]] = {fd["name"]: set() for fd in fields}
    keys: set[tuple[str, ...]] = set()
    pk = spec["schema"].get("primaryKey", [])
    for line, r in enumerate(rows, 2):
        extra = sorted(set(r) - set(seen))
        if extra:
            raise BuildError(f"{where}.csv line {line}: columns {extra} are not in its schema")
        values = {fd["name"]: _text(r.get(fd["name"], "")) for fd in fields}
        for fd in fields:
            v, c, name = values[fd["name"]], fd.get("constraints", {}), fd["name"]
            problem = ""
            if v == "":
                problem = "is required" if c.get("required") else ""
            elif not _type_ok(fd["type"], v):
                problem = f"is not of type {fd['type']}"
            elif "enum" in c and v not in [_text(e) for e in c["enum"]]:
                problem = f"is not one of {c['enum']}"
            elif "pattern" in c and not re.fullmatch(c["pattern"], v):
                problem = f"does not match {c['pattern']!r}"
            elif "minimum" in c and float(v) < c["minimum"]:
                problem = f"is below {c['minimum']}"
            elif "maximum" in c and float(v) > c["maximum"]:
                problem = f"is above {c['maximum']}"
            elif c.get("unique") and v in seen[name]:
                problem = "repeats another row's value (it must be unique)"
            if problem:
                raise BuildError(f"{where}.csv line {line}: {name} {v!r} {problem} "
                                 f"(row {dict(list(values.items())[:3])})")
            seen[name].add(v)
        key = tuple(values[k] for k in pk)
        if pk and key in keys:
            raise BuildError(f"{where}.csv line {line}: primary key {pk} {key} repeats")
        keys.add(key)


# --- Writing -----------------------------------------------------------------------------------

def to_csv(rows: list[dict], fields: list[str]) -> bytes:
    """CSV bytes with ``fields`` as header; booleans as true/false, '\\n' line ends."""
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=fields, lineterminator="\n", extrasaction="raise")
    w.writeheader()
    for r in rows:
        w.writerow({k: ("true" if v is True else "false" if v is False else v)
                    for k, v in r.items()})
    return buf.getvalue().encode("utf-8")


def descriptor(package: dict, resources: list[dict], case: dict) -> bytes:
    """datapackage.json bytes: $schema, the PACKAGE metadata, resources, then ``policykit``."""
    out = {"$schema": "https://datapackage.org/profiles/2.0/datapackage.json", **package,
           "resources": resources, "policykit": case}
    return (json.dumps(out, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def resource(spec: dict, data: bytes, sources: list[dict], licenses: list[dict]) -> dict:
    """One resource of the descriptor, with the hash and size of its CSV bytes."""
    return {
        "name": spec["name"], "type": "table", "path": f"{spec['name']}.csv", "scheme": "file",
        "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
        "title": spec["title"], "description": spec["description"],
        "unit": spec["unit"], "caveats": spec["caveats"],
        "hash": "sha256:" + hashlib.sha256(data).hexdigest(), "bytes": len(data),
        "sources": sources, "licenses": licenses,
        "schema": {**spec["schema"], "missingValues": [""]},
    }


def _registry_table(registry: SourceRegistry, spec: dict[str, Any]) -> list[dict[str, object]]:
    """The registry's rows for a ``sources`` table; a schema without ``label_sources`` may
    leave that column out only if no row has label sources (nothing is dropped silently)."""
    rows = registry.rows()
    if any(f["name"] == "label_sources" for f in spec["schema"]["fields"]):
        return rows
    labelled = [r["url"] for r in rows if r["label_sources"]]
    if labelled:
        raise BuildError(f"sources: {labelled[0]} has label sources, but the sources schema has "
                         "no label_sources field: add label_sources_field() to it")
    return [{k: v for k, v in r.items() if k != "label_sources"} for r in rows]


def build_case(case_dir: Path, sources: Path, steps: ModuleType | None = None,
               log: list[str] | None = None) -> dict[str, bytes]:
    """Return {file name: bytes} for every file of the case's data package.

    Runs the case's ``tables(ctx)``, adds the ``sources`` table from the registry when the
    case declares one and did not build it, writes each resource in RESOURCES order and the
    descriptor (with ``case.json`` as its ``policykit`` property).
    """
    case_dir = Path(case_dir)
    steps = steps or load_steps(case_dir)
    publishers = read_publishers(PUBLISHERS, case_dir / "curation" / "publishers.csv")
    ctx = Context(case_id=case_dir.name, case_dir=case_dir,
                  sources=Path(sources) / getattr(steps, "SOURCES", ""),
                  registry=SourceRegistry(publishers))
    tables = dict(steps.tables(ctx))
    names = [spec["name"] for spec in steps.RESOURCES]
    if "sources" in names and "sources" not in tables:
        tables["sources"] = _registry_table(ctx.registry, steps.RESOURCES[names.index("sources")])
    unknown = sorted(set(tables) ^ set(names))
    if unknown:
        raise BuildError(f"{case_dir.name}: tables and RESOURCES differ: {unknown}")
    missing = sorted(set(names) - set(steps.PROVENANCE))
    if missing:
        raise BuildError(f"{case_dir.name}: no PROVENANCE for {missing}")
    files: dict[str, bytes] = {}
    resources = []
    for spec in steps.RESOURCES:
        check_table(tables[spec["name"]], spec, f"{case_dir.name}/{spec['name']}")
        data = to_csv(tables[spec["name"]], [fd["name"] for fd in spec["schema"]["fields"]])
        files[f"{spec['name']}.csv"] = data
        srcs, lics = steps.PROVENANCE[spec["name"]]
        resources.append(resource(spec, data, srcs, lics))
    case = read_json(case_dir / "case.json")
    if case.get("case") != case_dir.name:
        raise BuildError(f"{case_dir / 'case.json'}: 'case' is {case.get('case')!r}; it must "
                         f"be the folder name {case_dir.name!r}")
    files["datapackage.json"] = descriptor(steps.PACKAGE, resources, case)
    if log is not None:
        log.extend(ctx.log)
    return files
