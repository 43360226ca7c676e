"""Fault modes of the replica (`newscrawl replica --faults NAME[,NAME...]`): ways the real site
can let a crawler down, switched on by name.

A fault is a small `Fault` subclass registered with `@register`. It may
- change what an article page shows (`article`): the router renders the returned Article,
- wrap the router (`respond`): replace or rewrite the answer to a request, or ask the server for
  a broken delivery (`Response.delivery`: a reset connection, a stalled or truncated body),
- amend the ground truth (`amend`): say what a correct crawl exports under the fault
  (`expected_export`, null times) and name itself in the record's `faults` list,
- start something next to the server (`attach`) and name it in the serving banner (`banner`).
Several faults stack: the first named is the outermost wrapper.

Which pages a fault hits is fixed by the corpus seed: every article has a point in [0, 1) (the
first 8 bytes of sha256("{seed}:article:{post ID}")) and every article-level fault owns a band of
that interval (`BANDS`, in selection.py). The bands do not overlap, so an article suffers at
most one of them and a crawler's retries are never eaten by two faults on one URL. Listing pages
get a point of their own ("{seed}:page:{path}") in the same bands, for the transient faults that
also hit listings.

The framework (`Fault`, the registry, stacking) is in framework.py, the choice of pages in
selection.py, and the faults in one module per kind: whole_site, transient, permanent,
redirects, content, charsets, not_articles, loops.
"""

from __future__ import annotations

# Each fault module registers its faults when imported: all of them are, here.
from newscrawl.replica.faults import (
    charsets,
    content,
    loops,
    not_articles,
    permanent,
    redirects,
    transient,
    whole_site,
)
from newscrawl.replica.faults.charsets import (
    LIAR_CHARSETS,
    LIAR_JAPANESE,
    liar_charset,
    liar_japanese,
)
from newscrawl.replica.faults.content import bad_date_variant
from newscrawl.replica.faults.framework import (
    FAULTS,
    Fault,
    Handler,
    Request,
    UnknownFault,
    amend_records,
    parse_faults,
    register,
    wrap,
)
from newscrawl.replica.faults.not_articles import Wall
from newscrawl.replica.faults.permanent import BOMB_SIZE, bomb_body
from newscrawl.replica.faults.redirects import Private
from newscrawl.replica.faults.selection import BANDS, SHARES, PickedFault, in_band, point

__all__ = [
    "BANDS",
    "BOMB_SIZE",
    "FAULTS",
    "LIAR_CHARSETS",
    "LIAR_JAPANESE",
    "SHARES",
    "Fault",
    "Handler",
    "PickedFault",
    "Private",
    "Request",
    "UnknownFault",
    "Wall",
    "amend_records",
    "bad_date_variant",
    "bomb_body",
    "charsets",
    "content",
    "in_band",
    "liar_charset",
    "liar_japanese",
    "loops",
    "not_articles",
    "parse_faults",
    "permanent",
    "point",
    "redirects",
    "register",
    "transient",
    "whole_site",
    "wrap",
]
