"""Bounded pagination for the long lists: never count or page through a whole country.

A national list (every dossier, every recognised unit) would count hundreds of thousands of
rows on each request and let a deep page OFFSET past them. The paginator counts at most
`limit` rows (COUNT over a LIMITed subquery) and pages within them; the pagination block says
when there are more and asks for a narrower filter.

A deep page reads its keys first (an index walk past the OFFSET, no join for the skipped rows),
then the page's rows by key: the joins and annotations are computed for one page, not for every
row before it.

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
from django.db.models.query import ModelIterable, QuerySet
from django.utils.functional import cached_property

LIST_COUNT_LIMIT = 10_000
# From this many skipped rows on, a page is read by its keys first (two queries, not one).
DEEP_OFFSET = 500
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

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        rows = self.object_list
        if bottom >= DEEP_OFFSET and _of_model_rows(rows):
            keys = list(rows.values_list("pk", flat=True)[bottom:top])
            by_key = rows.filter(pk__in=keys).in_bulk()  # in_bulk drops the order: keys keep it
            return self._get_page([by_key[key] for key in keys if key in by_key], number, self)
        return self._get_page(rows[bottom:top], number, self)


def _of_model_rows(rows) -> bool:
    return (
        isinstance(rows, QuerySet)
        and rows._iterable_class is ModelIterable
        and not rows.query.distinct
    )


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
