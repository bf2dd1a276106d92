"""Bounded pagination for the long lists: never count or page through a whole country.

A national list (every dossier, every recognised unit) would count hundreds of thousands of
rows on each request and let a deep page OFFSET past them. The paginator counts at most
`limit` rows (COUNT over a LIMITed subquery) and pages within them; the pagination block says
when there are more and asks for a narrower filter.

A search counts less (`SEARCH_COUNT_LIMIT`), and in the list's order: a common word ("Tổ",
"ấp") matches a large part of the country, and counting ten thousand matches reads ten thousand
rows. Counted in the list's order, the matches are read as the page is, along the order's index
until enough are found; without an order PostgreSQL, underestimating how many rows two common
words match, builds the whole bitmap of their trigrams (about 60,000 certificates for "Tổ dân")
to count 1,000 of them. Five pages of matches are plenty; beyond them the block asks for more
words.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.utils.functional import cached_property

LIST_COUNT_LIMIT = 10_000
SEARCH_COUNT_LIMIT = 250


class BoundedPaginator(Paginator):
    limit = LIST_COUNT_LIMIT
    counts_in_order = False

    def __init__(self, *args, limit: int | None = None, counts_in_order=False, **kwargs):
        super().__init__(*args, **kwargs)
        if limit is not None:
            self.limit = limit
        self.counts_in_order = counts_in_order

    @cached_property
    def count(self) -> int:
        rows = self.object_list if self.counts_in_order else self.object_list.order_by()
        # Only the keys: an annotation of the page (an EXISTS per row) is not computed to count.
        counted = rows.values("pk")[: self.limit + 1].count()
        self.is_bounded = counted > self.limit
        return min(counted, self.limit)

    is_bounded = False


class SearchBoundedPaginationMixin:
    """A list view whose free-text search (`?q=`) counts at most SEARCH_COUNT_LIMIT matches, in
    the list's order."""

    paginator_class = BoundedPaginator
    search_parameter = "q"

    def search_is_read_in_order(self) -> bool:
        """Whether a searched page is read along an index of its order. Not where the matches
        are sorted by the searched name (units.search.sorted_matches): counting in that order
        would sort every match again."""
        return True

    def get_paginator(self, *args, **kwargs):
        if self.request.GET.get(self.search_parameter, "").strip():
            kwargs.setdefault("limit", SEARCH_COUNT_LIMIT)
            kwargs.setdefault("counts_in_order", self.search_is_read_in_order())
        return super().get_paginator(*args, **kwargs)
