"""Bounded pagination for the long lists: never count or page through a whole country.

A national list (every dossier, every recognised unit) would count hundreds of thousands of
rows on each request and let a deep page OFFSET past them. The paginator counts at most
`limit` rows (COUNT over a LIMITed subquery) and pages within them; the pagination block says
when there are more and asks for a narrower filter.

A search counts less (`SEARCH_COUNT_LIMIT`): a common word ("Tổ", "ấp") matches a large part
of the country, and counting ten thousand matches reads ten thousand rows, while the page itself
is read along the list's order index and stops after fifty. Twenty pages of matches are
plenty; beyond them the block asks for more words.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.utils.functional import cached_property

LIST_COUNT_LIMIT = 10_000
SEARCH_COUNT_LIMIT = 1_000


class BoundedPaginator(Paginator):
    limit = LIST_COUNT_LIMIT

    def __init__(self, *args, limit: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if limit is not None:
            self.limit = limit

    @cached_property
    def count(self) -> int:
        # Only the keys: an annotation of the page (an EXISTS per row) is not computed to count.
        counted = self.object_list.order_by().values("pk")[: self.limit + 1].count()
        self.is_bounded = counted > self.limit
        return min(counted, self.limit)

    is_bounded = False


class SearchBoundedPaginationMixin:
    """A list view whose free-text search (`?q=`) counts at most SEARCH_COUNT_LIMIT matches."""

    paginator_class = BoundedPaginator
    search_parameter = "q"

    def get_paginator(self, *args, **kwargs):
        if self.request.GET.get(self.search_parameter, "").strip():
            kwargs.setdefault("limit", SEARCH_COUNT_LIMIT)
        return super().get_paginator(*args, **kwargs)
