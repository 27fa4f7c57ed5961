"""Count the lines of policykit/ that name a case (issue 11: the goal is 0 code lines).

A case is named by its own tokens, collected from every shipped case's data (never typed in
here): its id, its table names other than the generic role names, the full names of the
people in its signers and members tables (and their last names when they are at least 5
letters long and not an English word), its roll-call keys, its event keys and the ISO dates of
its rows. Every
``policykit/**/*.py`` file is read with :mod:`tokenize`; a string literal or a name that holds
one of those tokens counts as

- a **code** line when it is outside docstrings (what tests/test_case_neutral.py asserts is 0,
  less its dated allow-list),
- a **docstring** line inside a docstring (allowed: the default case's documentation),
- a **comment** line for a ``#`` comment (allowed, reported).

    python benchmarks/case_neutral.py [--lines]   # per module counts; --lines lists code lines
"""

from __future__ import annotations

import argparse
import ast
import csv
import io
import json
import re
import tokenize
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATASETS = ROOT / "datasets"
LIBRARY = ROOT / "policykit"
# The role names of the `policykit` property (CASES.md), and any role a case declares: a table
# named like a role is generic (code names the role, not the case's table).
GENERIC = {"members", "signers", "rollcalls", "votes", "documents", "statements", "responses",
           "events", "sources"}
_WORD = r"A-Za-z0-9_"


def english_words() -> set[str]:
    """Lower-case words of English prose shipped with Python itself (pydoc's topics), so that
    a last name that is also an English word ('Rounds', 'Bacon') is not taken for a name.

    It is the one word list every Python has; it misses many words (e.g. colours), but last
    names are matched with their capital letter only, which keeps the noise low.
    """
    from pydoc_data import topics

    text = "\n".join(topics.topics.values())
    return set(re.findall(r"\b[a-z]+\b", text))


@dataclass
class Tokens:
    """What names a case: exact strings and whole words, with why each one is listed."""

    whole: dict[str, str] = field(default_factory=dict)      # the literal is exactly this
    words: dict[str, str] = field(default_factory=dict)      # a whole word inside a literal
    substrings: dict[str, str] = field(default_factory=dict)  # anywhere inside a literal
    names: dict[str, str] = field(default_factory=dict)      # an identifier (lower case)


def _rows(folder: Path, resource: str) -> list[dict[str, str]]:
    with open(folder / f"{resource}.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def case_folders() -> list[Path]:
    """Every shipped case: a folder under datasets/ whose descriptor has a policykit property."""
    return [p.parent for p in sorted(DATASETS.glob("*/datapackage.json"))
            if "policykit" in json.loads(p.read_text(encoding="utf-8"))]


def _add_name(tokens: Tokens, full: str, last: str | None, why: str, english: set[str]) -> None:
    full = " ".join(full.split())
    if "," in full:  # "PELTOLA, Mary Sattler" (Voteview) -> Mary Sattler Peltola
        surname, given = (part.strip() for part in full.split(",", 1))
        last = last or surname.title()
        full = f"{given} {surname.title()}"
    if len(full.split()) >= 2:
        tokens.substrings[full] = why
    last = last or full.split()[-1]
    if len(last) >= 5 and last.isalpha() and last.lower() not in english:
        tokens.words[last] = why
        tokens.names[last.lower()] = why


def _add_key(tokens: Tokens, key: str, why: str) -> None:
    """A table name or event key. One of several words ('house_votes') names the case wherever
    it stands; a single word ('letters', 'invasion') only as a whole string literal, since as
    a word in prose or a variable it is ordinary English."""
    if "_" in key or "-" in key:
        tokens.words[key] = why
        tokens.names[key.lower()] = why
    else:
        tokens.whole[key] = why


def collect(folders: Iterable[Path] | None = None) -> Tokens:
    """The tokens of every shipped case (or of ``folders``)."""
    english = english_words()
    tokens = Tokens()
    for folder in folders if folders is not None else case_folders():
        package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
        case = folder.name
        roles = package["policykit"]["roles"]
        _add_key(tokens, case, f"{case}: case id")
        for res in package["resources"]:
            name = res["name"]
            if name not in GENERIC | set(roles):
                why = f"{case}: table name"
                _add_key(tokens, name, why)
            dates = [f["name"] for f in res["schema"]["fields"] if f["type"] == "date"]
            if dates:
                for row in _rows(folder, name):
                    for column in dates:
                        if row[column]:
                            tokens.substrings[row[column]] = f"{case}: date in {name}"
        for role in ("signers", "members"):
            spec = roles.get(role)
            if not spec:
                continue
            name_col = spec.get("name", "name")
            for row in _rows(folder, spec["resource"]):
                if row.get(name_col):
                    _add_name(tokens, row[name_col], row.get(spec.get("last_name") or ""),
                              f"{case}: person in {spec['resource']}", english)
        for row in _rows(folder, roles["rollcalls"]["resource"]):
            tokens.substrings[row[roles["rollcalls"]["key"]]] = f"{case}: roll-call key"
        if "events" in roles:
            for row in _rows(folder, roles["events"]["resource"]):
                key = row[roles["events"]["key"]]
                if key:
                    _add_key(tokens, key, f"{case}: event key")
    return tokens


def _docstring_lines(tree: ast.AST) -> set[int]:
    """Lines of docstrings and other bare string statements."""
    lines: set[int] = set()
    for node in ast.walk(tree):
        if (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
                and isinstance(node.value.value, str)):
            lines.update(range(node.lineno, (node.end_lineno or node.lineno) + 1))
    return lines


def _literal_text(token: str) -> str:
    """The text of a string token without its prefix and quotes (f-string fields included)."""
    body = token.lstrip("rRbBuUfF")
    for quote in ('"""', "'''", '"', "'"):
        if body.startswith(quote) and body.endswith(quote) and len(body) >= 2 * len(quote):
            return body[len(quote):-len(quote)]
    return body


class Matcher:
    """Finds the case tokens in one string literal or identifier."""

    def __init__(self, tokens: Tokens) -> None:
        self.tokens = tokens
        words = sorted(tokens.words, key=len, reverse=True)
        self._words = re.compile(
            rf"(?<![{_WORD}])({'|'.join(map(re.escape, words))})(?![{_WORD}])") if words else None
        subs = sorted(tokens.substrings, key=len, reverse=True)
        self._subs = re.compile(
            rf"(?<![0-9])({'|'.join(map(re.escape, subs))})(?![0-9])") if subs else None

    def string(self, token: str) -> list[str]:
        text = _literal_text(token)
        found = []
        if text in self.tokens.whole:
            found.append(text)
        for pattern in (self._words, self._subs):
            if pattern is not None:
                found += [m.group(1) for m in pattern.finditer(text)]
        return found

    def name(self, token: str) -> list[str]:
        return [token] if token.lower() in self.tokens.names else []


@dataclass
class Hit:
    path: str
    line: int
    kind: str  # "code", "docstring" or "comment"
    text: str
    found: list[str]

    @property
    def key(self) -> str:
        """How the allow-list names a line: file and stripped text (not the line number)."""
        return f"{self.path}: {self.text.strip()}"


# Python 3.12+ splits f-strings into FSTRING_START/MIDDLE/END tokens: their text is MIDDLE.
_STRINGS = {tokenize.STRING, getattr(tokenize, "FSTRING_MIDDLE", tokenize.STRING)}


def scan_file(path: Path, matcher: Matcher) -> list[Hit]:
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    docs = _docstring_lines(ast.parse(source))
    by_line: dict[tuple[int, str], list[str]] = {}
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type in _STRINGS:
            found = matcher.string(tok.string)
        elif tok.type == tokenize.NAME:
            found = matcher.name(tok.string)
        elif tok.type == tokenize.COMMENT:
            found = matcher.string(tok.string)
        else:
            continue
        if not found:
            continue
        # A multi-line literal counts on every line that holds one of the tokens.
        for offset, text in enumerate(tok.string.splitlines() or [tok.string]):
            here = [f for f in found if f in text or f.lower() in text.lower()]
            if not here:
                continue
            line = tok.start[0] + offset
            if tok.type == tokenize.COMMENT:
                kind = "comment"
            elif line in docs:
                kind = "docstring"
            else:
                kind = "code"
            by_line.setdefault((line, kind), []).extend(here)
    rel = path.relative_to(ROOT).as_posix()
    return [Hit(rel, line, kind, lines[line - 1], sorted(set(found)))
            for (line, kind), found in sorted(by_line.items())]


def library_files(root: Path = LIBRARY) -> list[Path]:
    """The ``*.py`` files under ``root``: those git tracks in a checkout (a scratch file left
    in the tree is not the library), else every one; vendored code is not ours."""
    import subprocess

    paths = sorted(root.rglob("*.py"))
    try:
        listed = subprocess.run(["git", "ls-files", "-z", "--", "."], cwd=root,
                                capture_output=True, check=True).stdout.split(b"\0")
        tracked = {(root / name.decode()).resolve() for name in listed if name}
        paths = [p for p in paths if p.resolve() in tracked]
    except (OSError, subprocess.CalledProcessError):
        pass  # not a checkout (an unpacked sdist): every file counts
    return [p for p in paths if "_vendor" not in p.relative_to(root).parts]


def scan(tokens: Tokens | None = None, root: Path = LIBRARY) -> list[Hit]:
    matcher = Matcher(tokens if tokens is not None else collect())
    hits = []
    for path in library_files(root):
        hits += scan_file(path, matcher)
    return hits


def counts(hits: list[Hit]) -> dict[str, dict[str, int]]:
    """Per module: lines of each kind."""
    table: dict[str, dict[str, int]] = {}
    for hit in hits:
        row = table.setdefault(hit.path, {"code": 0, "docstring": 0, "comment": 0})
        row[hit.kind] += 1
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", action="store_true", help="list every code line")
    args = parser.parse_args()
    tokens = collect()
    hits = scan(tokens)
    table = counts(hits)
    cases = ", ".join(p.name for p in case_folders())
    print(f"cases scanned: {cases}; tokens: {len(tokens.whole) + len(tokens.words)} words, "
          f"{len(tokens.substrings)} names/keys/dates, {len(tokens.names)} identifiers")
    print(f"{'module':<40} {'code':>5} {'docstring':>9} {'comment':>7}")
    for path, row in sorted(table.items()):
        print(f"{path:<40} {row['code']:>5} {row['docstring']:>9} {row['comment']:>7}")
    total = {k: sum(r[k] for r in table.values()) for k in ("code", "docstring", "comment")}
    print(f"{'total':<40} {total['code']:>5} {total['docstring']:>9} {total['comment']:>7}")
    print(f"library code lines naming a case: {total['code']} (goal: 0)")
    if args.lines:
        for hit in hits:
            if hit.kind == "code":
                print(f"{hit.path}:{hit.line}: {hit.text.strip()}  <- {', '.join(hit.found)}")


if __name__ == "__main__":
    main()
