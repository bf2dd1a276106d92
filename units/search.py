"""Vietnamese name search: by trigram index on PostgreSQL, a plain LIKE elsewhere.

On PostgreSQL `name__search_text__contains` compares lower(unaccent(name)) — the expression
indexed by the GIN trigram indexes of units 0020 / certification 0022 — with the typed words
stripped the same way, so "to dan pho", "Tổ dân phố" and "TỔ DÂN" all find "Tổ dân phố 5".
SQLite has neither extension: there the search is the case-insensitive LIKE it always was.
"""

from __future__ import annotations

import unicodedata

from django.db import connection
from django.db.models import CharField, Q, TextField, Transform


class SearchText(Transform):
    """antt_search_text(field): lower(unaccent(field)), an IMMUTABLE SQL function (PostgreSQL)."""

    lookup_name = "search_text"
    function = "antt_search_text"
    output_field = TextField()


CharField.register_lookup(SearchText)


def search_text(value: str) -> str:
    """What PostgreSQL's unaccent + lower make of Vietnamese text ("Đồng" -> "dong")."""
    value = value.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", value)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def name_contains(field: str, value: str) -> Q:
    """Rows whose `field` contains `value`, accents and case ignored where the index allows."""
    if connection.vendor == "postgresql":
        return Q(**{f"{field}__search_text__contains": search_text(value)})
    return Q(**{f"{field}__icontains": value})


def code_is(field: str, value: str) -> Q:
    """The code as typed or in capitals: equality, so the code's b-tree index serves it (an
    iexact is UPPER(code) = UPPER(value), which no index serves and which, OR-ed with the name
    search, turns the whole search into a scan)."""
    return Q(**{field: value}) | Q(**{field: value.upper()})


class IndexedNameSearchAdmin:
    """A ModelAdmin mixin: the search box finds a name by its index and codes exactly.

    Django's default search is an icontains on every search field, OR-ed (no index can serve
    it); here it is `name_contains` on one name and iexact on the codes.
    """

    name_search_field = "name"
    code_search_fields: tuple[str, ...] = ("code",)

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if not term:
            return queryset, False
        condition = name_contains(self.name_search_field, term)
        for field in self.code_search_fields:
            condition |= code_is(field, term)
        return queryset.filter(condition), False
