"""Import and export of areas and units as CSV or XLSX (django-import-export resources).

Both resources read a file whose first row names the columns; exports write the same columns, so an
exported file imports again without changes. Every row problem becomes a ValidationError naming the
column and the reason, and the result carries, for each bad row, the line of the file it came from
(the header is line 1): see `ImportProblemsMixin`.

The admin previews every import as a dry run inside a transaction that is rolled back, so nothing is
written (tree nodes included) until the administrator confirms; a confirmed import that meets an
error is rolled back as a whole (`rollback_on_validation_errors` defaults to True here).
"""

from __future__ import annotations

import csv
import datetime
import io
import unicodedata

import tablib
from diff_match_patch import diff_match_patch
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.encoding import force_str
from django.utils.html import format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources, widgets
from import_export.formats import base_formats

from units import services
from units.models import (
    Area,
    AreaKind,
    AreaLevel,
    EnterpriseSize,
    ManagingLevel,
    ResidentialSubtype,
    SchoolLevel,
    Unit,
    UnitType,
)
from units.services import LEVEL_RANK

# --- Cell values --------------------------------------------------------------------------------


def cell_text(value) -> str:
    """A cell as clean text: trimmed, NFC-normalised; XLSX numbers such as 1001.0 become "1001"."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFC", str(value)).strip()


def _fold(text: str) -> str:
    """A form of a choice value or label for case- and spacing-insensitive comparison."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def column_name(header) -> str:
    return cell_text(header).lower()


class TextWidget(widgets.CharWidget):
    """Text cells, trimmed; empty cells give ""."""

    def clean(self, value, row=None, **kwargs):
        return cell_text(value)

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class ChoiceWidget(widgets.Widget):
    """A choice field: accepts the stored value or its Vietnamese or English label."""

    def __init__(self, choices_class, what, **kwargs):
        self.choices_class = choices_class
        self.what = what
        self._table = None
        super().__init__(**kwargs)

    def _lookup_table(self) -> dict[str, str]:
        if self._table is None:
            table = {}
            for value in self.choices_class.values:
                table[_fold(value)] = value
            for language in ("vi", "en"):
                with translation.override(language):
                    for value, label in self.choices_class.choices:
                        label = str(label)
                        table.setdefault(_fold(label), value)
                        # "rural district (huyện)" is also written "huyện".
                        if label.endswith(")") and "(" in label:
                            table.setdefault(_fold(label[label.rindex("(") + 1 : -1]), value)
            self._table = table
        return self._table

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if not text:
            return ""
        found = self._lookup_table().get(_fold(text))
        if found is None:
            raise ValueError(
                gettext("Unknown %(what)s “%(value)s”; expected one of: %(choices)s.")
                % {
                    "what": self.what,
                    "value": text,
                    "choices": ", ".join(self.choices_class.values),
                }
            )
        return found

    def render(self, value, obj=None, **kwargs):
        return value or ""


class DateWidget(widgets.Widget):
    """Dates as spreadsheet dates, YYYY-MM-DD or DD/MM/YYYY; exported as YYYY-MM-DD."""

    INPUT_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y")

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        text = cell_text(value)
        if not text:
            return None
        for date_format in self.INPUT_FORMATS:
            try:
                return datetime.datetime.strptime(text, date_format).date()
            except ValueError:
                continue
        try:  # "2025-07-01 00:00:00", as some spreadsheets write a date
            return datetime.datetime.fromisoformat(text).date()
        except ValueError:
            pass
        raise ValueError(
            gettext("“%(value)s” is not a valid date; write it as DD/MM/YYYY or YYYY-MM-DD.")
            % {"value": text}
        )

    def render(self, value, obj=None, **kwargs):
        if kwargs.get("force_native_type"):
            return value
        return value.isoformat() if value else ""


class YesNoWidget(widgets.Widget):
    """Yes/no cells: 1/0, true/false, yes/no, có/không; an empty cell means no."""

    TRUE = frozenset({"1", "true", "yes", "y", "x", "có", "co", "đúng"})
    FALSE = frozenset({"", "0", "false", "no", "n", "không", "khong", "sai"})

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, bool):
            return value
        text = _fold(cell_text(value))
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise ValueError(
            gettext("“%(value)s” is not a yes/no value; write 1 (yes) or 0 (no).")
            % {"value": cell_text(value)}
        )

    def render(self, value, obj=None, **kwargs):
        if kwargs.get("force_native_type"):
            return bool(value)
        return "1" if value else "0"


class AreaCodeWidget(widgets.ForeignKeyWidget):
    """An area given by its official code; an unknown or merged-away code is a row error."""

    def __init__(self, **kwargs):
        super().__init__(Area, field="code", **kwargs)
        self._cache: dict[str, Area] = {}

    def clean(self, value, row=None, **kwargs):
        code = cell_text(value)
        if not code:
            return None
        area = self._cache.get(code)
        if area is None:
            area = Area.objects.filter(code=code).select_related("merged_into").first()
            if area is None:
                message = gettext("Unknown area code “%(code)s”.") % {"code": code}
                if isinstance(value, int | float):
                    message += " " + gettext(
                        "The spreadsheet holds it as a number; format the column as text to "
                        "keep leading zeros."
                    )
                raise ValueError(message)
            self._cache[code] = area
        if area.merged_into_id is not None:
            raise ValueError(
                gettext(
                    "Area “%(name)s” (code %(code)s) was merged into “%(into)s” "
                    "(code %(into_code)s); use the code of the new area."
                )
                % {
                    "name": area.name,
                    "code": area.code,
                    "into": area.merged_into.name,
                    "into_code": area.merged_into.code,
                }
            )
        return area


class CSV(base_formats.CSV):
    """CSV that keeps blank lines as empty rows, so that reported line numbers match the file.

    (tablib's CSV reader drops blank lines; ImportProblemsMixin drops them after numbering.)
    """

    def create_dataset(self, in_stream, **kwargs):
        if isinstance(in_stream, bytes):
            in_stream = in_stream.decode(self.encoding or "utf-8-sig")
        rows = list(csv.reader(io.StringIO(in_stream)))
        dataset = tablib.Dataset()
        if not rows:
            return dataset
        dataset.headers = rows[0]
        width = len(rows[0])
        for row in rows[1:]:
            if len(row) > width and not any(cell.strip() for cell in row[width:]):
                row = row[:width]  # trailing empty cells, as some editors write them
            if len(row) > width:
                raise tablib.InvalidDimensions
            dataset.append(row + [""] * (width - len(row)))
        return dataset


class StylelessDiff(resources.Diff):
    """The preview's changes as <ins>/<del> without inline styles (the CSP forbids them)."""

    def as_html(self):
        differ = diff_match_patch()
        cells = []
        for left, right in zip(self.left, self.right, strict=False):
            if left != right and self.new:
                left = ""
            changes = differ.diff_main(force_str(left), force_str(right))
            differ.diff_cleanupSemantic(changes)
            cells.append(
                format_html_join(
                    "", "<{0}>{1}</{0}>", ((_DIFF_TAGS[op], text) for op, text in changes)
                )
            )
        return cells


_DIFF_TAGS = {
    diff_match_patch.DIFF_INSERT: "ins",
    diff_match_patch.DIFF_DELETE: "del",
    diff_match_patch.DIFF_EQUAL: "span",
}


# --- Shared import behaviour --------------------------------------------------------------------


class ColumnsError(ValueError):
    """The file's header row lacks columns the import needs, or names unknown ones."""


class ImportProblemsMixin:
    """Header checks, file line numbers and readable problems for every bad row.

    After `import_data`, every entry of `result.invalid_rows` and `result.error_rows` has
    `line` (the line in the file; the header is line 1) and `problems`, a list of
    (column, message) pairs; `result.problems` lists (line, column, message) for the whole file.
    """

    required_columns: tuple[str, ...] = ()

    @classmethod
    def get_diff_class(cls):
        return StylelessDiff

    def import_data(
        self,
        dataset,
        dry_run=False,
        raise_errors=False,
        use_transactions=None,
        collect_failed_rows=False,
        rollback_on_validation_errors=True,
        **kwargs,
    ):
        self._file_lines: list[int] = []
        self._seen_codes: dict[str, int] = {}
        result = super().import_data(
            dataset,
            dry_run=dry_run,
            raise_errors=raise_errors,
            use_transactions=use_transactions,
            collect_failed_rows=collect_failed_rows,
            rollback_on_validation_errors=rollback_on_validation_errors,
            **kwargs,
        )
        columns = {field.attribute: field.column_name for field in self.fields.values()}
        columns[NON_FIELD_ERRORS] = ""
        problems = []
        for invalid in result.invalid_rows:
            invalid.line = self.line_of(invalid.number)
            invalid.problems = [
                (columns.get(name, name), str(message))
                for name, messages in invalid.error_dict.items()
                for message in messages
            ]
            problems += [(invalid.line, column, message) for column, message in invalid.problems]
        for error_row in result.error_rows:
            error_row.line = self.line_of(error_row.number)
            error_row.problems = [("", str(error.error)) for error in error_row.errors]
            problems += [
                (error_row.line, column, message) for column, message in error_row.problems
            ]
        result.problems = sorted(problems, key=lambda problem: problem[0])
        return result

    def line_of(self, row_number: int) -> int:
        """The file line of the n-th data row (1-based); the header is line 1."""
        if 0 < row_number <= len(self._file_lines):
            return self._file_lines[row_number - 1]
        return row_number + 1

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        headers = [column_name(header) for header in dataset.headers or []]
        rows = list(dataset)
        dataset.wipe()
        dataset.headers = headers
        problem = self._columns_problem(headers)
        if problem:
            raise ColumnsError(problem)
        # Fully blank rows (often left at the end of a spreadsheet) are dropped; the others keep
        # their line number in the file for the error report.
        for line, row in enumerate(rows, start=2):
            if any(cell_text(value) for value in row):
                dataset.append(row)
                self._file_lines.append(line)

    def _columns_problem(self, headers) -> str:
        """Why the header row does not fit this import, or ""."""
        expected = [field.column_name for field in self.get_import_fields()]
        missing = [column for column in self.required_columns if column not in headers]
        unknown = [header for header in headers if header and header not in expected]
        problems = []
        if missing:
            problems.append(
                gettext("The file lacks the column(s) %(missing)s.")
                % {"missing": ", ".join(missing)}
            )
        if unknown:
            problems.append(
                gettext("The file has unknown column(s) %(unknown)s.")
                % {"unknown": ", ".join(f"“{header}”" for header in unknown)}
            )
        if not problems:
            return ""
        problems.append(
            gettext("The first row must name the columns, among: %(expected)s.")
            % {"expected": ", ".join(expected)}
        )
        if len(headers) == 1 and ";" in headers[0]:
            problems.append(
                gettext(
                    "The columns seem to be separated by semicolons; save the file as "
                    "comma-separated CSV (UTF-8) or import the .xlsx file."
                )
            )
        return " ".join(problems)

    def current_line(self, kwargs) -> int:
        return self.line_of(kwargs.get("row_number", 0))

    def check_code_once(self, code: str, kwargs, errors: dict) -> None:
        """A code may appear on one line of a file only."""
        if not code:
            return
        line = self.current_line(kwargs)
        first = self._seen_codes.setdefault(code, line)
        if first != line:
            _add_error(
                errors,
                "code",
                gettext(
                    "Code “%(code)s” appears more than once in the file (first on line %(line)s)."
                )
                % {"code": code, "line": first},
            )

    def import_instance(self, instance, row, **kwargs):
        errors: dict = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        self.check_row(instance, row, errors, **kwargs)
        if errors:
            raise ValidationError(errors)

    def check_row(self, instance, row, errors: dict, **kwargs) -> None:
        """Cross-column checks with specific messages; add to errors (field -> messages)."""

    #: Model fields never validated from a row (set by the tree, not by the file).
    unvalidated_fields: tuple[str, ...] = ()

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        exclude = set(errors) | set(self.unvalidated_fields)
        try:
            instance.full_clean(
                exclude=exclude, validate_unique=validate_unique, validate_constraints=False
            )
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if not errors:
            # The specific checks above passed; a constraint still violated gets Django's message.
            try:
                instance.validate_constraints(exclude=exclude)
            except ValidationError as error:
                errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def save_instance(self, instance, is_create, row, **kwargs):
        self.before_save_instance(instance, row, **kwargs)
        if not (self._is_dry_run(kwargs) and not self._is_using_transactions(kwargs)):
            try:
                with transaction.atomic():
                    self.write_instance(instance, is_create, row, **kwargs)
            except IntegrityError as error:
                raise ValidationError(
                    gettext("The database refused the row: %(error)s") % {"error": error}
                ) from error
        self.after_save_instance(instance, row, **kwargs)

    def write_instance(self, instance, is_create, row, **kwargs):
        raise NotImplementedError


def _add_error(errors: dict, field: str, message: str) -> None:
    errors.setdefault(field, []).append(ValidationError(message))


def _stamp(instance, user, reason: str) -> None:
    """Tell django-simple-history who made the next save and why."""
    instance._history_user = user if getattr(user, "pk", None) else None
    instance._change_reason = reason[:100]


def _import_reason(kwargs) -> str:
    file_name = kwargs.get("file_name")
    if file_name:
        return gettext("Imported from “%(file)s”") % {"file": file_name}
    return gettext("Imported")


# --- Areas --------------------------------------------------------------------------------------


def tree_level_problem(level: str, parent: Area | None, child_levels=()) -> str:
    """Why an area of this level cannot sit under parent (or above children), or ""."""
    if level not in LEVEL_RANK:
        return ""
    level_display = AreaLevel(level).label
    if parent is None and level != AreaLevel.PROVINCE:
        return gettext("A %(level)s area needs a parent area.") % {"level": level_display}
    if parent is not None and level == AreaLevel.PROVINCE:
        return gettext("A province-level area has no parent area.")
    if parent is not None and LEVEL_RANK[parent.level] >= LEVEL_RANK[level]:
        return gettext(
            "A %(level)s area cannot lie under the %(parent_level)s area “%(parent)s”."
        ) % {
            "level": level_display,
            "parent_level": parent.get_level_display(),
            "parent": parent.name,
        }
    if any(LEVEL_RANK[child] <= LEVEL_RANK[level] for child in child_levels if child in LEVEL_RANK):
        return gettext("A %(level)s area cannot hold the areas that lie under it.") % {
            "level": level_display
        }
    return ""


def parent_code_of(area: Area) -> str:
    if area.pk is None or area.depth <= 1:
        return ""
    parent_path = area.path[: -Area.steplen]
    return Area.objects.filter(path=parent_path).values_list("code", flat=True).first() or ""


class ParentCodeField(fields.Field):
    """The parent area's code; read and checked by AreaResource, never set as an attribute."""

    def get_value(self, instance):
        code = getattr(instance, "_import_parent_code", None)
        return code if code is not None else parent_code_of(instance)


class AreaResource(ImportProblemsMixin, resources.ModelResource):
    code = fields.Field(attribute="code", column_name="code", widget=TextWidget())
    name = fields.Field(attribute="name", column_name="name", widget=TextWidget())
    level = fields.Field(
        attribute="level", column_name="level", widget=ChoiceWidget(AreaLevel, _("level"))
    )
    kind = fields.Field(
        attribute="kind", column_name="kind", widget=ChoiceWidget(AreaKind, _("area type"))
    )
    parent_code = ParentCodeField(column_name="parent_code", widget=TextWidget())
    valid_from = fields.Field(attribute="valid_from", column_name="valid_from", widget=DateWidget())
    valid_to = fields.Field(attribute="valid_to", column_name="valid_to", widget=DateWidget())

    required_columns = ("code", "name", "level", "kind")
    unvalidated_fields = ("path", "depth", "numchild", "merged_into")

    class Meta:
        model = Area
        fields = ("code", "name", "level", "kind", "parent_code", "valid_from", "valid_to")
        export_order = fields
        import_id_fields = ("code",)
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def before_export(self, queryset, **kwargs):
        super().before_export(queryset, **kwargs)
        # One query for every parent's code instead of one per exported area.
        self._code_by_path = dict(
            Area.objects.filter(numchild__gt=0).values_list("path", "code").iterator()
        )

    def dehydrate_parent_code(self, area):
        if area.depth <= 1:
            return ""
        code_by_path = getattr(self, "_code_by_path", None)
        if code_by_path is None:
            return parent_code_of(area)
        return code_by_path.get(area.path[: -Area.steplen], "")

    def check_row(self, area, row, errors, **kwargs):
        self.check_code_once(area.code, kwargs, errors)
        parent_code = cell_text(row.get("parent_code"))
        area._import_parent_code = parent_code
        level_ok = "level" not in errors and area.level in LEVEL_RANK
        if area.pk is None:
            parent = self._new_parent(parent_code, errors)
            area._import_parent = parent
            if level_ok and parent is not False:
                problem = tree_level_problem(area.level, parent)
                if problem:
                    _add_error(errors, "parent_code", problem)
        else:
            current_code = parent_code_of(area)
            if "parent_code" in row and parent_code != current_code:
                if current_code:
                    message = gettext(
                        "Area “%(code)s” lies under the area with code “%(current)s”; an import "
                        "does not move areas (use the action “Merge into another area”)."
                    )
                else:
                    message = gettext(
                        "Area “%(code)s” is a top-level area; an import does not move areas "
                        "(use the action “Merge into another area”)."
                    )
                values = {"code": area.code, "current": current_code}
                _add_error(errors, "parent_code", message % values)
            elif level_ok:
                parent = Area.objects.get_parent(area)
                child_levels = set(Area.objects.get_children(area).values_list("level", flat=True))
                problem = tree_level_problem(area.level, parent, child_levels)
                if problem:
                    _add_error(errors, "level", problem)
        if (
            area.valid_from
            and area.valid_to
            and "valid_to" not in errors
            and area.valid_to <= area.valid_from
        ):
            _add_error(
                errors,
                "valid_to",
                gettext("valid_to (%(to)s) must be later than valid_from (%(from)s).")
                % {"to": area.valid_to.isoformat(), "from": area.valid_from.isoformat()},
            )

    def _new_parent(self, parent_code: str, errors: dict) -> Area | bool | None:
        """The parent of a new area (None: a root), or False when parent_code is unusable."""
        if not parent_code:
            return None
        parent = Area.objects.filter(code=parent_code).first()
        if parent is None:
            message = gettext(
                "Parent area code “%(code)s” does not exist (neither in the database nor on an "
                "earlier line of this file)."
            ) % {"code": parent_code}
        elif parent.merged_into_id is not None:
            message = gettext(
                "Parent area “%(name)s” (code %(code)s) was merged into another area; use the "
                "code of the area it was merged into."
            ) % {"name": parent.name, "code": parent.code}
        else:
            return parent
        _add_error(errors, "parent_code", message)
        return False

    def write_instance(self, area, is_create, row, **kwargs):
        user = kwargs.get("user")
        if is_create:
            parent = area._import_parent
            created = services.create_area(
                parent=Area.objects.get(pk=parent.pk) if parent else None,
                code=area.code,
                name=area.name,
                level=area.level,
                kind=area.kind,
                valid_from=area.valid_from,
                by=user if getattr(user, "pk", None) else None,
            )
            if area.valid_to:
                created.valid_to = area.valid_to
                _stamp(created, user, _import_reason(kwargs))
                created.save(update_fields=["valid_to"])
            for attribute in ("pk", "path", "depth", "numchild"):
                setattr(area, attribute, getattr(created, attribute))
            area._state.adding = False
        else:
            _stamp(area, user, _import_reason(kwargs))
            # Never write the tree columns from a possibly stale copy.
            area.save(update_fields=["code", "name", "level", "kind", "valid_from", "valid_to"])


# --- Units --------------------------------------------------------------------------------------

#: For each detail column, the only unit type that may fill it.
_DETAIL_OF_TYPE = {
    "residential_subtype": UnitType.RESIDENTIAL_AREA,
    "enterprise_size": UnitType.ENTERPRISE,
    "school_level": UnitType.SCHOOL,
    "is_armed_forces": UnitType.AGENCY,
}


class UnitResource(ImportProblemsMixin, resources.ModelResource):
    code = fields.Field(attribute="code", column_name="code", widget=TextWidget())
    name = fields.Field(attribute="name", column_name="name", widget=TextWidget())
    unit_type = fields.Field(
        attribute="unit_type",
        column_name="unit_type",
        widget=ChoiceWidget(UnitType, _("unit type")),
    )
    residential_subtype = fields.Field(
        attribute="residential_subtype",
        column_name="residential_subtype",
        widget=ChoiceWidget(ResidentialSubtype, _("residential area type")),
    )
    enterprise_size = fields.Field(
        attribute="enterprise_size",
        column_name="enterprise_size",
        widget=ChoiceWidget(EnterpriseSize, _("enterprise size")),
    )
    school_level = fields.Field(
        attribute="school_level",
        column_name="school_level",
        widget=ChoiceWidget(SchoolLevel, _("school level")),
    )
    is_armed_forces = fields.Field(
        attribute="is_armed_forces", column_name="is_armed_forces", widget=YesNoWidget()
    )
    area_code = fields.Field(attribute="area", column_name="area_code", widget=AreaCodeWidget())
    managing_level = fields.Field(
        attribute="managing_level",
        column_name="managing_level",
        widget=ChoiceWidget(ManagingLevel, _("managing level")),
    )
    contact_email = fields.Field(
        attribute="contact_email", column_name="contact_email", widget=TextWidget()
    )
    contact_phone = fields.Field(
        attribute="contact_phone", column_name="contact_phone", widget=TextWidget()
    )
    active_from = fields.Field(
        attribute="active_from", column_name="active_from", widget=DateWidget()
    )
    active_to = fields.Field(attribute="active_to", column_name="active_to", widget=DateWidget())

    required_columns = ("code", "name", "unit_type", "area_code", "managing_level")

    class Meta:
        model = Unit
        fields = (
            "code",
            "name",
            "unit_type",
            "residential_subtype",
            "enterprise_size",
            "school_level",
            "is_armed_forces",
            "area_code",
            "managing_level",
            "contact_email",
            "contact_phone",
            "active_from",
            "active_to",
        )
        export_order = fields
        import_id_fields = ("code",)
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def get_queryset(self):
        return super().get_queryset().select_related("area")

    def after_init_instance(self, instance, new, row, **kwargs):
        super().after_init_instance(instance, new, row, **kwargs)
        instance._import_original_area_id = instance.area_id

    def check_row(self, unit, row, errors, **kwargs):
        self.check_code_once(unit.code, kwargs, errors)
        if "unit_type" not in errors and unit.unit_type:
            for detail, allowed_type in _DETAIL_OF_TYPE.items():
                if detail in errors or not getattr(unit, detail) or unit.unit_type == allowed_type:
                    continue
                _add_error(
                    errors,
                    detail,
                    gettext(
                        "Only a unit of type “%(allowed)s” may fill %(column)s; leave it empty "
                        "for a unit of type “%(type)s”."
                    )
                    % {
                        "allowed": allowed_type.label,
                        "column": detail,
                        "type": unit.get_unit_type_display(),
                    },
                )
        if (
            unit.active_from
            and unit.active_to
            and "active_to" not in errors
            and unit.active_to <= unit.active_from
        ):
            _add_error(
                errors,
                "active_to",
                gettext("active_to (%(to)s) must be later than active_from (%(from)s).")
                % {"to": unit.active_to.isoformat(), "from": unit.active_from.isoformat()},
            )

    def write_instance(self, unit, is_create, row, **kwargs):
        user = kwargs.get("user")
        reason = _import_reason(kwargs)
        original_area_id = getattr(unit, "_import_original_area_id", None)
        by = user if getattr(user, "pk", None) else None
        # Through the services, which keep the unit counters in the same transaction.
        if is_create or original_area_id in (None, unit.area_id):
            services.save_unit(unit, by=by, reason=reason)
            return
        # A unit that changes area moves through the service, so the move is recorded.
        new_area = unit.area
        unit.area_id = original_area_id
        services.save_unit(unit, by=by, reason=reason)
        services.move_unit(
            unit,
            new_area,
            on=timezone.localdate(),
            reason=reason,
            by=by,
        )
        unit.area = new_area
