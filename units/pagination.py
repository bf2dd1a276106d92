"""Bounded pagination for the long lists: never count or page through a whole country.

A national list (every dossier, every recognised unit) would count hundreds of thousands of
rows on each request and let a deep page OFFSET past them. The paginator counts at most
`limit` rows (COUNT over a LIMITed subquery) and pages within them; the pagination block says
when there are more and asks for a narrower filter.

A deep page reads its keys first (an index walk past the OFFSET, no join for the skipped rows),
then the page's rows by key: the joins and annotations are computed for one page, not for every
row before it.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models.query import ModelIterable, QuerySet
from django.utils.functional import cached_property

LIST_COUNT_LIMIT = 10_000
# From this many skipped rows on, a page is read by its keys first (two queries, not one).
DEEP_OFFSET = 500


class BoundedPaginator(Paginator):
    limit = LIST_COUNT_LIMIT

    @cached_property
    def count(self) -> int:
        # Only the keys: an annotation of the page (an EXISTS per row) is not computed to count.
        counted = self.object_list.order_by().values("pk")[: self.limit + 1].count()
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
