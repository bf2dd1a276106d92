"""Bounded pagination for the long lists: never count or page through a whole country.

A national list (every dossier, every recognised unit) would count hundreds of thousands of
rows on each request and let a deep page OFFSET past them. The paginator counts at most
`limit` rows (COUNT over a LIMITed subquery) and pages within them; the pagination block says
when there are more and asks for a narrower filter.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.utils.functional import cached_property

LIST_COUNT_LIMIT = 10_000


class BoundedPaginator(Paginator):
    limit = LIST_COUNT_LIMIT

    @cached_property
    def count(self) -> int:
        # Only the keys: an annotation of the page (an EXISTS per row) is not computed to count.
        counted = self.object_list.order_by().values("pk")[: self.limit + 1].count()
        self.is_bounded = counted > self.limit
        return min(counted, self.limit)

    is_bounded = False


class KeysFirstPaginator(BoundedPaginator):
    """A bounded paginator whose further pages read their keys first, then their rows.

    Page 150 is OFFSET 7,450: read with the page's joins, every skipped row is joined too. Here
    the skipped rows are keys walked in the order's index (an index-only scan), and only the
    page's own rows are read, by key, in the same order. The first page reads its rows at once.
    """

    def _get_page(self, object_list, number, paginator):
        if number == 1 or not hasattr(object_list, "values_list"):
            return super()._get_page(object_list, number, paginator)
        keys = list(object_list.values_list("pk", flat=True))
        rows = self.object_list.filter(pk__in=keys)
        return super()._get_page(rows, number, paginator)
