"""Interactive explorers (ipywidgets + plotly).

One call builds each explorer and returns it; make it the last value of a cell to show it.
Every explorer takes ``case=`` (a case id from ``policykit.list_cases()`` or a
``policykit.case(...)``; default: the default case) and then lists only that case's roll
calls, signer groups (e.g. one letter's signers), timeline lanes and documents. A case without
ideology scores places members by party, then state, and its summary line says why.
Every explorer exposes ``.figure`` (a ``go.Figure`` copy of what it draws, for reading),
``.view`` (the figure widget on screen: plotly.js is loaded once per page, from the
installed package, and kept out of the widget state), ``.controls`` (labelled
widgets by name: set their ``.value`` to drive it from code), ``.summary`` (a one-line text
summary under the figure) and ``.message`` (a plain message when a filter matches nobody).
Where no widget front end exists (nbconvert HTML, nbgrader feedback, GitHub), an explorer
shows a static figure, its summary line and a small table instead. ``.close()`` closes every
widget an explorer made, so that Python can free it; a closed explorer still shows its
static view.

For every learner: each figure is an image named by its title and described by its summary
line, with its data as a table under "Show data" (in the static view too); option groups
are radio groups (one Tab stop, arrow keys choose); every control shows a focus outline;
lists say how to select from the keyboard (Shift+arrow, Ctrl+A).

>>> from policykit import explore
>>> ex = explore.positions("h66-117.2022")
>>> sorted(ex.controls)
['party', 'rollcall', 'signers', 'state', 'y_axis']
>>> sorted(explore.words_vs_votes(case="gop_letters_2023").controls)
['focus', 'group', 'rollcalls', 'sort']
"""

from __future__ import annotations

from ._letter import LetterModel, LetterReader, highlight, letter
from ._positions import Positions, PositionsModel, positions
from ._timeline import Timeline, TimelineModel, timeline
from ._words import WordsModel, WordsVsVotes, words_vs_votes

__all__ = [
    "LetterModel",
    "LetterReader",
    "Positions",
    "PositionsModel",
    "Timeline",
    "TimelineModel",
    "WordsModel",
    "WordsVsVotes",
    "highlight",
    "letter",
    "positions",
    "timeline",
    "words_vs_votes",
]
