"""Counters kept in the transaction of the change they count: units per area and type."""

from __future__ import annotations

from django.db import connection, models, transaction
from django.db.models import Count, Sum
from django.utils.translation import gettext_lazy as _

from units.choices import UnitType
from units.models.areas import Area
from units.models.labels import ChoiceLabels
from units.models.units import Unit


class CounterQuerySet(models.QuerySet):
    """Rows that count something per key (`key_columns`) in a column `n`, changed by deltas in
    the transaction of what they count and rebuilt from the tables by `recount`."""

    key_columns: tuple[str, ...] = ()

    def counted(self) -> dict[tuple, int]:
        """What the counters should hold: a fresh count from the tables."""
        raise NotImplementedError

    def change(self, deltas) -> None:
        """Adds each delta to its counter row, creating it at need, in one statement.

        Rows are written in key order, so two transactions never wait on each other's rows
        in opposite orders (no deadlock); concurrent changes of one key queue on its row.
        """
        rows = sorted((key, delta) for key, delta in deltas.items() if delta and key is not None)
        if not rows:
            return
        table = connection.ops.quote_name(self.model._meta.db_table)
        columns = ", ".join(self.key_columns)
        placeholders = ", ".join(["%s"] * (len(self.key_columns) + 1))
        values = ", ".join([f"({placeholders})"] * len(rows))
        params = [value for key, delta in rows for value in (*key, delta)]
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} ({columns}, n) VALUES {values} "
                f"ON CONFLICT ({columns}) DO UPDATE SET n = {table}.n + excluded.n",
                params,
            )

    def move(self, old, new) -> None:
        """One counted row left the `old` key for the `new` one (None: counted nowhere)."""
        if old != new:
            self.change({old: -1, new: +1})

    def held(self) -> dict[tuple, int]:
        """What the counters hold (rows at zero left out)."""
        return {
            tuple(row[:-1]): row[-1]
            for row in self.filter(n__gt=0).values_list(*self.key_columns, "n").iterator()
        }

    def differences(self) -> list[tuple]:
        """The keys whose held number differs from a fresh count, with both numbers."""
        fresh, held = self.counted(), self.held()
        return [
            (key, fresh.get(key, 0), held.get(key, 0))
            for key in sorted(fresh.keys() | held.keys())
            if fresh.get(key, 0) != held.get(key, 0)
        ]

    @transaction.atomic
    def recount(self) -> int:
        """Rebuilds every counter from the tables; returns the number of rows written.

        The table is locked against the changes' writes while it is rebuilt: a change that has
        not written its counters yet waits, and then applies its delta to the fresh count.
        """
        if connection.vendor == "postgresql":
            table = connection.ops.quote_name(self.model._meta.db_table)
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE")
        fresh = self.counted()
        self.all().delete()
        self.bulk_create(
            [
                self.model(**dict(zip(self.key_columns, key, strict=True)), n=n)
                for key, n in fresh.items()
            ],
            batch_size=5000,
        )
        return len(fresh)


class UnitCountQuerySet(CounterQuerySet):
    key_columns = ("area_id", "unit_type")

    def counted(self) -> dict[tuple, int]:
        units = Unit.objects.undated().order_by().values_list("area_id", "unit_type")
        return {(area_id, unit_type): n for area_id, unit_type, n in units.annotate(n=Count("pk"))}

    def by_type(self) -> dict[str, int]:
        return dict(self.order_by().values_list("unit_type").annotate(total=Sum("n")))


class UnitCount(ChoiceLabels):
    """How many units without dates (active every day) one area holds of one type.

    The home pages' unit figures read these few rows (plus the few units with dates, counted
    on the day) instead of counting a province's thousands of units on every request. Kept by
    every write of a unit (`units.services`: `save_unit`, `move_unit`, `merge_area`,
    `record_succession`) in its transaction; `manage.py recount_status` rebuilds them.
    """

    area = models.ForeignKey(
        Area, verbose_name=_("area"), on_delete=models.CASCADE, related_name="+"
    )
    unit_type = models.CharField(_("unit type"), max_length=30, choices=UnitType.choices)
    n = models.IntegerField(_("number"), default=0)

    objects = UnitCountQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit counter")
        verbose_name_plural = _("unit counters")
        constraints = [
            # The upsert's conflict target.
            models.UniqueConstraint(fields=["area", "unit_type"], name="unit_count_key"),
        ]

    def __str__(self):
        return f"{self.area_id} {self.unit_type}: {self.n}"
