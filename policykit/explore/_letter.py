"""Document reader: a case's verified passages beside its statements (the default case: the
letter beside the clarification and the withdrawal)."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from typing import Any

import ipywidgets as widgets
import pandas as pd
import plotly.graph_objects as go
import traitlets

from .. import _case, analysis, figures
from ..errors import InvalidArgumentError, invalid_choice
from ._base import Explorer, labelled
from ._layout import css as _css
from ._layout import inline as _inline
from ._plotly_view import PlotlyView
from ._traits import Choice, Text

__all__ = ["LetterModel", "LetterReader", "highlight", "letter"]

_KEY_STYLE = "background:#F0E442;color:#000000;padding:0 1px"
_HIT_STYLE = ("background:#56B4E9;color:#000000;padding:0 1px;"
              "text-decoration:underline;text-decoration-thickness:2px")
_SHOW = {"all": "Everything", "matches": "Matches only"}
_KIND = {"paragraph_opening": "Opening words of a paragraph", "sentence": "Sentence",
         "quoted_remark": "Remark quoted in the document"}
_BANNER = ("Shown are the {n} passages whose exact wording is confirmed by at least one "
           "faithful source; {part} of them are verified only in part (marked …). A phrase "
           "that is not found here may still be in {document}.")


def highlight(text: str, key_phrases: Iterable[str] = (), search: str | None = None) -> str:
    """Escape ``text`` for HTML and mark key phrases and a search phrase in it.

    Key phrases get a yellow background (``class='pk-key'``); search matches, found
    case-insensitively, a blue underlined one (``class='pk-hit'``). Overlaps are handled.

    Examples
    --------
    >>> highlight("Talks & more talks", ["more talks"], "talks")  # doctest: +NORMALIZE_WHITESPACE
    "<mark class='pk-hit' ...>Talks</mark> &amp; <mark class='pk-key' ...>more </mark><mark
    class='pk-key pk-hit' ...>talks</mark>"
    """
    n = len(text)
    key = [False] * n
    hit = [False] * n
    lowered = text.lower()
    for phrase in [p for p in key_phrases if p]:
        for m in re.finditer(re.escape(phrase.lower()), lowered):
            key[m.start():m.end()] = [True] * (m.end() - m.start())
    if search and search.strip():
        for m in re.finditer(re.escape(search.strip().lower()), lowered):
            hit[m.start():m.end()] = [True] * (m.end() - m.start())
    out, i = [], 0
    while i < n:
        j = i
        while j < n and key[j] == key[i] and hit[j] == hit[i]:
            j += 1
        piece = html.escape(text[i:j], quote=False)
        classes = [c for c, on in (("pk-key", key[i]), ("pk-hit", hit[i])) if on]
        if classes:
            style = _HIT_STYLE if hit[i] else _KEY_STYLE
            if key[i] and hit[i]:
                style = _HIT_STYLE.replace("#56B4E9", "#F0E442")
            piece = f"<mark class='{' '.join(classes)}' style='{style}'>{piece}</mark>"
        out.append(piece)
        i = j
    return "".join(out)


class LetterModel(traitlets.HasTraits):
    """State: the search phrase and whether to show only matches.

    Examples
    --------
    >>> m = LetterModel(phrase="direct talks")
    >>> m.record().loc[lambda r: r["match"], "item_id"].tolist()
    ['p-we-urge-4ced']
    """

    phrase = Text("", what="phrase", example="diplomacy", empty="no search")
    show = Choice(list(_SHOW), "all", what="show option",
                  next_step="Use show='matches' to list only matches.")

    _record: tuple[str, pd.DataFrame] | None = None

    def __init__(self, *, case: str | _case.Case | None = None, **kwargs: Any) -> None:
        #: The case whose documents and statements this model reads.
        self.case = _case.resolve(case)
        super().__init__(**kwargs)

    def record(self) -> pd.DataFrame:
        """Passages and statement sentences, flagged for the phrase (kept for the last one)."""
        if self._record is None or self._record[0] != self.phrase:
            self._record = (self.phrase, analysis.find_in_record(self.phrase, case=self.case))
        return self._record[1]

    def visible(self) -> pd.DataFrame:
        """The rows to list (all, or only matches when ``show == 'matches'``)."""
        rec = self.record()
        if self.show == "matches" and self.phrase.strip():
            rec = rec[rec["match"]]
        return rec


def _banner(passages: pd.DataFrame, case: _case.Case) -> str:
    n = len(passages)
    part = int(passages["truncated"].fillna(False).astype(bool).sum()) \
        if "truncated" in passages.columns else 0
    document = case.label("document", "the document")
    head = case.label("document_banner",
                      f"The full text of {document} could not be obtained faithfully.")
    return head + " " + _BANNER.format(n=n, part=part, document=document)


def _get(row: dict[str, Any], column: str, default: Any = None) -> Any:
    value = row.get(column, default)
    return default if value is None or (not isinstance(value, str) and pd.isna(value)) \
        else value


class LetterReader(Explorer):
    """Verified passages with key phrases highlighted, beside the caucus's two statements.

    Controls: ``search`` (a phrase, case-insensitive) and ``show`` (everything or matches
    only). ``.figure`` counts where the phrase occurs.
    """

    def __init__(self, model: LetterModel) -> None:
        self.model = model
        self._init_common()
        case = model.case
        self._passages = (case.table("documents").set_index(case.role("documents")["key"])
                          if case.has_role("documents") else pd.DataFrame())
        self._statements = (case.table("statements").set_index(case.role("statements")["key"])
                            if case.has_role("statements") else pd.DataFrame())
        self._passage_rows = self._passages.to_dict("index")  # per-item lookups, no .loc
        self._statement_rows = self._statements.to_dict("index")
        self.controls = {
            "search": labelled(widgets.Text(
                description="Find phrase", placeholder="e.g. diplomacy",
                continuous_update=False, layout=widgets.Layout(width="30em"))),
            "show": labelled(widgets.ToggleButtons(
                options=[(v, k) for k, v in _SHOW.items()], description="Show")),
        }
        self._link_controls({"search": "phrase", "show": "show"})
        _inline(self.controls["show"])
        _css(self.controls["search"], max_width="100%", margin="2px 1.5em 2px 0")
        self.banner = widgets.HTML(
            "<p class='policykit-banner' role='note' style='padding:0.5em 0.7em;"
            "border-left:6px solid #D55E00;background:#FBEDE4;color:#000000;margin:0.3em 0'>"
            f"<strong>Incomplete text.</strong> {html.escape(_banner(self._passages, case))}"
            "</p>")
        # Side by side where both fit (letter 55 %, statements 45 %), else one under the other.
        self.letter_view = widgets.HTML(layout=widgets.Layout(flex="55 1 24em", min_width="0"))
        self.statements_view = widgets.HTML(layout=widgets.Layout(flex="45 1 18em",
                                                                  min_width="0",
                                                                  margin="0 0 0 1.5em"))
        if self._statements.empty:  # no statements in this case: the document takes the row
            self.statements_view.layout.display = "none"
        record = model.record()
        self.view = PlotlyView(self._figure(record))
        _css(self.view, width="100%", max_width="900px")
        c = self.controls
        super().__init__(children=[
            self.banner,
            widgets.HBox([c["search"], c["show"]],
                         layout=widgets.Layout(flex_flow="row wrap", align_items="center")),
            self.message,
            self.view, self.summary,
            widgets.HBox([self.letter_view, self.statements_view],
                         layout=widgets.Layout(flex_flow="row wrap")),
        ])
        self.add_class("policykit-explorer")
        self.add_class("policykit-letter")
        self._update_text(record)
        self._observe_model(self._safe_redraw, ["phrase", "show"])

    # -- rendering --------------------------------------------------------------------------

    def _item_html(self, row: Any) -> str:
        search = self.model.phrase
        if row.item_id in self._passage_rows:
            p = self._passage_rows[row.item_id]
            keys = [k for k in str(row.key_phrases).split(";") if k]
            text = highlight(str(row.text), keys, search) + ("…" if row.truncated else "")
            paragraph = _get(p, "paragraph")
            where = f"paragraph {int(paragraph)}, " if paragraph is not None else ""
            kind = str(_get(p, "kind", "passage"))
            name = self.model.case.label(f"kind:{kind}",
                                         _KIND.get(kind, kind.replace("_", " ")))
            meta = f"{row.item_id} · {where}{name.lower()}"
            note = self._note_html(row.item_id, _get(p, "variant_note"))
        else:
            s = self._statement_rows[row.item_id]
            text = highlight(str(row.text), (), search)
            meta = f"{row.item_id}" + (" · central sentence" if bool(_get(s, "key_quote", False))
                                       else "")
            meta += " · stated reason" if str(_get(s, "role", "")) == "stated_reason" else ""
            meta += " · single source" if bool(_get(s, "single_source", False)) else ""
            note = self._note_html(row.item_id, _get(s, "variant_note"))
        return (f"<li style='margin:0 0 0.5em 0'><span>“{text}”</span><br>"
                f"<small style='color:#444'>{html.escape(meta)}</small>{note}</li>")

    def _note_html(self, item_id: str, note: Any) -> str:
        """A passage's note; a note already shown above is referred to, not repeated."""
        if note is None or pd.isna(note):
            return ""
        first = self._seen_notes.setdefault(str(note), item_id)
        text = str(note) if first == item_id else f"Same note as for {first}, above."
        return f"<br><small style='color:#444'>{html.escape(text)}</small>"

    def _statement_head(self, doc: str) -> tuple[str, str, int]:
        """A statement's date, speaker (escaped) and number of stated reasons (computed once)."""
        heads: dict[str, tuple[str, str, int]] = self.__dict__.setdefault("_heads", {})
        if doc not in heads:
            all_rows = self._statements[self._statements["statement"].astype(str) == doc]
            reasons = (int((all_rows["role"].astype(str) == "stated_reason").sum())
                       if "role" in all_rows.columns else 0)
            heads[doc] = (figures.format_date(all_rows["date"].min()),
                          html.escape(str(all_rows["speaker"].iloc[0])), reasons)
        return heads[doc]

    def _render_lists(self, visible: pd.DataFrame) -> None:
        self._seen_notes: dict[str, str] = {}  # note -> the first item showing it
        case = self.model.case
        docs = figures._documents(self.model.record())  # every document, even with no rows
        by_doc: dict[str, list[Any]] = {d: [] for d in docs}
        for r in visible.itertuples():  # one pass over a few dozen rows
            by_doc.setdefault(str(r.document), []).append(r)
        statement_docs = set(self._statements["statement"].astype(str)) \
            if "statement" in self._statements.columns else set()
        passages, parts = [], []
        for doc in docs:
            items = "".join(self._item_html(r) for r in by_doc[doc])
            listing = (f"<ol style='padding-left:1.2em;list-style:none'>"
                       f"{items or '<li>None.</li>'}</ol>")
            if doc not in statement_docs:
                heading = case.label(f"doc_heading:{doc}",
                                     f"{figures.document_name(doc, case)} (verified passages)")
                passages.append(f"<h4 style='margin:0.4em 0'>{html.escape(heading)}</h4>"
                                + listing)
                continue
            date, speaker, n_reasons = self._statement_head(doc)
            reasons = case.label(f"reasons:{doc}", "") if n_reasons else ""
            reasons = " " + reasons.format(n=n_reasons) if reasons else ""
            parts.append(f"<h4 style='margin:0.4em 0'>"
                         f"{html.escape(figures.document_name(doc, case))}, {date}</h4>"
                         f"<p style='margin:0 0 0.3em 0'><small>{speaker}."
                         f"{html.escape(reasons, quote=False)}</small></p>{listing}")
        self.letter_view.value = "".join(passages)
        self.statements_view.value = "".join(parts)

    def _update_text(self, record: pd.DataFrame) -> None:
        m = self.model
        self._set_summary(figures.record_summary(record, m.phrase, case=m.case))
        self._render_lists(m.visible())
        if m.phrase.strip() and not record["match"].any():
            document = m.case.label("document", "the document")
            self._set_message(f"No verified passage or statement sentence contains "
                              f"{m.phrase.strip()!r}. The text of {document} is "
                              "incomplete, so this does not show that the phrase is absent "
                              f"from {document}. Try a shorter phrase.")
        else:
            self._set_message("")

    def _redraw(self) -> None:
        record = self.model.record()
        self._apply(self.view, figures.record_trace_data(record, case=self.model.case),
                    figures._record_layout(record, self.model.phrase, self.model.case))
        self._update_text(record)

    def _data_table(self) -> tuple[pd.DataFrame, str]:
        data = figures.record_trace_data(self.model.record(), case=self.model.case)
        table = pd.DataFrame({"Document": data[0]["y"],
                              data[0]["name"]: [int(v) for v in data[0]["x"]],
                              data[1]["name"]: [int(v) for v in data[1]["x"]]})
        return table, "Passages or sentences per document"

    def _figure(self, record: pd.DataFrame) -> go.Figure:
        """The record figure for the model's state (built once per state); ``record`` is
        ``model.record()``."""
        m = self.model
        return self._figure_for_state("record", lambda: figures.record_figure(
            record, m.phrase, case=m.case))

    def _static_parts(self) -> tuple[go.Figure, pd.DataFrame | None, str, list[str]]:
        fig = self._figure(self.model.record())
        vis = self.model.visible()
        table = pd.DataFrame({
            "Document": vis["document"].astype(str).to_numpy(),
            "Id": vis["item_id"].astype(str).to_numpy(),
            "Text": [str(t) + ("…" if tr else "") for t, tr in zip(vis["text"],
                                                                   vis["truncated"],
                                                                   strict=True)],
            "Contains the phrase": ["yes" if v else "" for v in vis["match"]],
        })
        return fig, table, "Verified passages and statement sentences", [
            "Incomplete text. " + _banner(self._passages, self.model.case)]


def letter(phrase: str = "", *, show: str = "all",
           case: str | _case.Case | None = None) -> LetterReader:
    """Read a case's verified passages beside its statements (the default case: the letter
    beside the clarification and the withdrawal).

    Parameters
    ----------
    phrase : str
        A phrase to find (case-insensitive); empty for none.
    show : {'all', 'matches'}
        List everything, or only the passages and sentences containing ``phrase``.
    case : str or Case, optional
        The case to read (default: the default case).

    Returns
    -------
    LetterReader
        The explorer (a widget).

    Examples
    --------
    >>> from policykit import explore
    >>> ex = explore.letter("direct talks")
    >>> ex.summary_text  # doctest: +ELLIPSIS
    "'direct talks' occurs in 1 of 15 verified letter passages, ..."
    """
    if not isinstance(phrase, str):
        msg = (f"phrase must be text; got {type(phrase).__name__} {phrase!r}. "
               "Allowed: any string, e.g. 'diplomacy', or '' for no search. Pass a string.")
        raise InvalidArgumentError(msg)
    if show not in _SHOW:
        raise InvalidArgumentError(invalid_choice("show option", show, list(_SHOW),
                                                  "Use show='matches' to list only matches."))
    c = _case.resolve(case)
    if not (c.has_role("documents") or c.has_role("statements")):
        c.role("documents")  # raises the four-part MissingRoleError naming case and role
    return LetterReader(LetterModel(phrase=phrase, show=show, case=c))
