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
