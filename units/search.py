"""Vietnamese search: a stored, unaccented copy of each searched name, compared with LIKE.

`antt_search_text(text)` is lower(unaccent(text)): an IMMUTABLE SQL function on PostgreSQL
(units 0020) and the same Python function (`search_text`) registered on every SQLite
connection. The searched tables keep its value in a generated column (`Unit.search_name`,
`Certificate.search_words`) that the database computes on every write, in the same statement,
so "to dan pho", "Tổ dân phố" and "TỔ DÂN" all find "Tổ dân phố 5" on both databases.

Why a stored column rather than the indexed expression: the trigram index only narrows the
candidates, each of which is rechecked by calling unaccent again; a common word ("Tổ", "ấp")
or one of fewer than three letters (no trigram at all) rechecks a large part of the country,
about 3 µs a row. A LIKE on the stored column costs a fraction of that, and a list ordered by
one of its indexes stops after a page.
"""

from __future__ import annotations

import unicodedata

from django.db.backends.signals import connection_created
from django.db.models import CharField, Q, TextField, Transform, Value
from django.db.models.functions import Concat


class SearchText(Transform):
    """antt_search_text(field): lower(unaccent(field))."""

    lookup_name = "search_text"
    function = "antt_search_text"
    output_field = TextField()


CharField.register_lookup(SearchText)


def search_text(value: str) -> str:
    """What PostgreSQL's unaccent + lower make of Vietnamese text ("Đồng" -> "dong")."""
    value = value.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", value)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def _sqlite_search_text(value):
    return None if value is None else search_text(value)


def register_sqlite_function(sender, connection, **kwargs):
    """SQLite has no unaccent: the generated columns call this one (deterministic, so SQLite
    allows it in a generated column)."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            "antt_search_text", 1, _sqlite_search_text, deterministic=True
        )


connection_created.connect(register_sqlite_function)


# Trigrams need three letters: a shorter search is a word's beginning, which the index serves.
SHORTEST_INFIX = 3


def name_contains(search_field: str, value: str) -> Q:
    """Rows whose stored search column (`search_name`, `unit__search_name` ...) contains
    `value`, accents and case ignored.

    One or two letters find the names with a word that starts with them ("Tổ" finds "Tổ dân
    phố 5" and "Khu Tổ 3", "an" finds "An Phú" but not "Tân Hoà"): a substring that short
    matches inside countless words, and the trigram index cannot narrow it (pg_trgm pads a
    word's start, so "% to%" and "to%" are indexed where "%to%" is not).
    """
    text = search_text(value)
    if len(text) < SHORTEST_INFIX:
        return Q(**{f"{search_field}__startswith": text}) | Q(
            **{f"{search_field}__contains": f" {text}"}
        )
    return Q(**{f"{search_field}__contains": text})


def sorted_matches(field: str) -> Concat:
    """`field` as an order no index delivers, for a list a search on that same name narrows.

    Ordered by the indexed name, PostgreSQL walks the name index until it has a page, assuming
    the matches are spread evenly; they are not: the units whose names start with "Tổ dân phố"
    sort after 140,000 others, so the walk reads most of the country. Sorting the matches
    (found by the trigram index) costs what they number, and the order is the same.
    """
    return Concat(field, Value(""))


def code_is(field: str, value: str) -> Q:
    """The code as typed or in capitals: equality, so the code's b-tree index serves it (an
    iexact is UPPER(code) = UPPER(value), which no index serves and which, OR-ed with the name
    search, turns the whole search into a scan)."""
    return Q(**{field: value}) | Q(**{field: value.upper()})


class IndexedNameSearchAdmin:
    """A ModelAdmin mixin: the search box finds a name by its stored search column and codes
    exactly.

    Django's default search is an icontains on every search field, OR-ed (no index can serve
    it); here it is `name_contains` on one stored column and equality on the codes.
    """

    name_search_field = "search_name"
    code_search_fields: tuple[str, ...] = ("code",)
    # The name the search narrows, when it is also the list's order: sorted as matched rows
    # (`sorted_matches`), not walked along its index through most of the country.
    searched_name_field = "name"

    def get_ordering(self, request):
        ordering = list(super().get_ordering(request) or self.model._meta.ordering)
        if not request.GET.get("q", "").strip():
            return ordering
        field = self.searched_name_field
        return [
            sorted_matches(field).asc()
            if order == field
            else sorted_matches(field).desc()
            if order == f"-{field}"
            else order
            for order in ordering
        ]

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if not term:
            return queryset, False
        condition = name_contains(self.name_search_field, term)
        for field in self.code_search_fields:
            condition |= code_is(field, term)
        return queryset.filter(condition), False
