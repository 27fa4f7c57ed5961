"""policykit: teach policy analysis in Jupyter on real, documented cases.

Each case is what members of Congress wrote or said and how they then voted, as a curated data
package (``policykit.list_cases()``). The default case: on 24 October 2022, 30 House Democrats
sent President Biden a letter urging diplomacy with Russia over the war in Ukraine; the caucus
withdrew it the next day. policykit ships the curated record (verified passages, signers,
roll-call votes, responses and a timeline) with loaders, pure analysis helpers, claim checks,
plotly figures and ipywidgets explorers; each takes ``case=`` (default: the default case).

>>> import policykit
>>> signers = policykit.load_signatories()
>>> len(signers)
30
>>> policykit.list_cases()
['cpc_letter_2022', 'gop_letters_2023']
>>> len(policykit.case("gop_letters_2023").table("rollcalls"))  # 6 House + 4 Senate roll calls
10

Figures (``policykit.figures``) and explorers (``policykit.explore``) are imported on first use,
so ``import policykit`` stays as cheap as importing pandas.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from . import analysis, errors
from . import datasets as _datasets
from ._case import case, list_cases
from .analysis import contrast, party_breakdown, recorded_tally, tally
from .datasets import cite, describe, list_datasets, load
from .errors import PolicykitError

if TYPE_CHECKING:
    from . import claims, exercises, explore, figures

__all__ = [
    "PolicykitError",
    "__version__",
    "analysis",
    "case",
    "cite",
    "claims",
    "contrast",
    "describe",
    "errors",
    "exercises",
    "explore",
    "figures",
    "list_cases",
    "list_datasets",
    "load",
    "party_breakdown",
    "recorded_tally",
    "tally",
    *_datasets.LOADERS,  # load_<table> for every table of the default case
]
# The default case's convenience loaders (load_signatories() ...), made from its data package.
globals().update({name: getattr(_datasets, name) for name in _datasets.LOADERS})

_LAZY = {"explore", "figures", "claims", "exercises"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return importlib.import_module(f".{name}", __name__)
    if name.startswith("load_"):
        return getattr(_datasets, name)  # raises the clear error of a damaged descriptor
    if name == "__version__":
        from importlib.metadata import version

        from ._datapackage import DISTRIBUTION  # "policykit-edu", see pyproject.toml

        return version(DISTRIBUTION)
    msg = f"module 'policykit' has no attribute {name!r}"
    raise AttributeError(msg)


def __dir__() -> list[str]:
    return sorted(set(globals()) | _LAZY | {"__version__"})
