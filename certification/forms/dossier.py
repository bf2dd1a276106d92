"""Forms of the unit's year-end dossier page: the meeting and documents, and one form per criterion.

Everything the unit types, and the files it attaches, travel in one submit: a rejected file
re-renders the page with every typed value kept and nothing saved.
"""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from certification.evaluation import FIGURE_LABELS, item_labels
from certification.forms.widgets import DATE_INPUT
from certification.models import (
    REQUIRED_DOSSIER_DOCUMENTS,
    Answer,
    Assessment,
    AssessmentAnswer,
    DossierDocumentKind,
    ForceRating,
    ItemAnswer,
    Registration,
    item_state,
)
from certification.services.assessment import DETAIL_FIELDS
from certification.uploads import ACCEPTED_NAMES, ACCEPTED_TYPES, check_upload
from certification.validators import MAX_COUNT, bound_counts, bound_dates

ITEM_CHOICES = [(ItemAnswer.NONE, _("did not occur")), (ItemAnswer.OCCURRED, _("occurred"))]
# Points the law excuses (force majeure, or detected and reported at once) get a third answer.
EXCUSABLE_ITEM_CHOICES = [
    (ItemAnswer.NONE, _("did not occur")),
    (ItemAnswer.EXCUSED, _("occurred, but excused")),
    (ItemAnswer.OCCURRED, _("occurred")),
]
DISCIPLINED_CHOICES = [("no", _("nobody")), ("yes", _("yes, someone was"))]
DISCIPLINE_QUESTIONS = {
    "any": _("Was anyone in the force disciplined for a violation?"),
    "warning": _("Was anyone disciplined at “cảnh cáo” (warning) or above?"),
}


def _file_help() -> str:
    return _("%(types)s, judged by content.") % {"types": ACCEPTED_NAMES}


def _helper() -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    return helper


def _normalised(text: str) -> str:
    """Browsers send textarea line breaks as CRLF; compare notes as the unit sees them."""
    return (text or "").replace("\r\n", "\n").strip()


class CheckedFileField(forms.FileField):
    """A file whose type is read from its content (certification.uploads) before any save."""

    # Lets a phone offer its camera and files of the accepted kinds; the content is still checked.
    widget = forms.FileInput(
        attrs={"accept": ",".join([*ACCEPTED_TYPES, *ACCEPTED_TYPES.values(), ".jpeg"])}
    )

    def clean(self, data, initial=None):
        uploaded = super().clean(data, initial)
        if uploaded:
            check_upload(uploaded)
        return uploaded


class DossierDetailsForm(forms.Form):
    """The assessment meeting, the report text and the three required documents."""

    def __init__(self, *args, assessment: Assessment, **kwargs):
        kwargs.setdefault("initial", {name: getattr(assessment, name) for name in DETAIL_FIELDS})
        super().__init__(*args, **kwargs)
        self.fields.update(
            forms.fields_for_model(
                Assessment,
                fields=DETAIL_FIELDS,
                widgets={
                    "meeting_on": DATE_INPUT,
                    "summary": forms.Textarea(attrs={"rows": 6}),
                },
            )
        )
        self.fields["meeting_on"].input_formats = ["%d/%m/%Y", "%Y-%m-%d"]
        self.fields["meeting_attendance"].widget.attrs["inputmode"] = "numeric"
        bound_counts(self)
        # The meeting assesses the cycle's year: it is held that year or early the next.
        year = assessment.cycle.year
        bound_dates(self, year, year + 1)
        for kind in REQUIRED_DOSSIER_DOCUMENTS:
            self.fields[f"{kind}_file"] = CheckedFileField(
                label=capfirst(DossierDocumentKind(kind).label),
                required=False,
                help_text=_file_help(),
            )
        self.helper = _helper()

    def detail_values(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in DETAIL_FIELDS}

    def uploads(self) -> list[tuple[str, object]]:
        """(document kind, file) for each required document attached in this submit."""
        return [
            (kind, self.cleaned_data[f"{kind}_file"])
            for kind in REQUIRED_DOSSIER_DOCUMENTS
            if self.cleaned_data.get(f"{kind}_file")
        ]


class CriterionAnswerForm(forms.Form):
    """The unit's answer to one criterion, with the figures and item answers its checks read.

    Field names follow the criterion's parameters: `fig_<figure>` for a share's part and whole and
    for a year-on-year figure (`fig_<figure>_last_year` beside it), `item_<n>` for each "no event"
    item. The prefix (`c<criterion id>`) keeps the forms of one page apart.
    """

    answer = forms.ChoiceField(
        label=capfirst(AssessmentAnswer._meta.get_field("answer").verbose_name),
        choices=Answer.choices,
        required=False,
        widget=forms.RadioSelect(attrs={"class": "btn-check"}),
    )
    note = forms.CharField(
        label=capfirst(AssessmentAnswer._meta.get_field("note").verbose_name),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    evidence = CheckedFileField(label=capfirst(DossierDocumentKind.EVIDENCE.label), required=False)

    def __init__(self, *args, view, registration: Registration | None, **kwargs):
        self.view = view
        answer: AssessmentAnswer = view.answer
        parameters = view.criterion.parameters or {}
        self.share_names = [
            name
            for share in parameters.get("share", ())
            for name in (share["whole"], share["part"])
        ]
        self.yoy_names = list(parameters.get("figures", ()))
        self.count_names = [
            *(["models_effective"] if "models_min" in parameters else []),
            *(["departments_total", "departments_rated"] if "departments" in parameters else []),
        ]
        self.item_texts = list(parameters.get("items", ()))
        self.item_labels = item_labels(parameters)
        excusable = set(parameters.get("excusable", ()))
        self.excusable = [label in excusable for label in self.item_labels]
        self.force_rating = parameters.get("force_rating")
        self.discipline = parameters.get("no_discipline")
        initial = {"answer": answer.answer, "note": answer.note}
        for name in self.figure_names:
            initial[f"fig_{name}"] = answer.figures.get(name)
        for number in range(1, len(self.item_texts) + 1):
            initial[f"item_{number}"] = item_state(answer.items.get(str(number))) or ""
            initial[f"excuse_{number}"] = answer.excuses.get(str(number), "")
        initial["rating"] = answer.rating
        initial["disciplined"] = {True: "yes", False: "no"}.get(answer.disciplined, "")
        kwargs.setdefault("initial", initial)
        kwargs.setdefault("prefix", f"c{view.criterion.pk}")
        super().__init__(*args, **kwargs)
        self.fields["evidence"].help_text = _file_help()
        for name in self.share_names:
            field = Registration._meta.get_field(name)
            registered = getattr(registration, name, None) if registration else None
            self.fields[f"fig_{name}"] = self._figure_field(capfirst(field.verbose_name))
            if registered is not None:
                self.fields[f"fig_{name}"].widget.attrs["placeholder"] = registered
                self.fields[f"fig_{name}"].help_text = _(
                    "Empty: the figure of the registration (%(value)s) counts."
                ) % {"value": registered}
        for name in self.yoy_names:
            self.fields[f"fig_{name}"] = self._figure_field(_("This year"))
            self.fields[f"fig_{name}_last_year"] = self._figure_field(_("Last year"))
        for name in self.count_names:
            self.fields[f"fig_{name}"] = self._figure_field(capfirst(FIGURE_LABELS[name]))
        points = zip(self.item_labels, self.item_texts, strict=True)
        for number, (label, text) in enumerate(points, start=1):
            self.fields[f"item_{number}"] = forms.ChoiceField(
                label=f"{label}) {text}",
                choices=EXCUSABLE_ITEM_CHOICES if self.excusable[number - 1] else ITEM_CHOICES,
                required=False,
                widget=forms.RadioSelect(attrs={"class": "btn-check"}),
            )
            if self.excusable[number - 1]:
                self.fields[f"excuse_{number}"] = forms.CharField(
                    label=_("Why the event is excused (point %(point)s)") % {"point": label},
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 2}),
                    help_text=_(
                        "Force majeure, or the event was detected promptly, its consequences "
                        "contained and it was reported at once: say which, and attach the proof."
                    ),
                )
        if self.force_rating:
            choices = [
                (value, label)
                for value, label in ForceRating.choices
                if value != ForceRating.UNRATED or self.force_rating.get("unrated_allowed")
            ]
            self.fields["rating"] = forms.ChoiceField(
                label=_("How was the force rated for the year?"),
                choices=[("", "—"), *choices],
                required=False,
            )
        if self.discipline:
            self.fields["disciplined"] = forms.ChoiceField(
                label=DISCIPLINE_QUESTIONS[self.discipline],
                choices=DISCIPLINED_CHOICES,
                required=False,
                widget=forms.RadioSelect(attrs={"class": "btn-check"}),
            )
        self.helper = _helper()

    @staticmethod
    def _figure_field(label) -> forms.IntegerField:
        return forms.IntegerField(
            label=label,
            required=False,
            min_value=0,
            max_value=MAX_COUNT,
            widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0, "max": MAX_COUNT}),
        )

    @property
    def figure_names(self) -> list[str]:
        yoy = [n for name in self.yoy_names for n in (name, f"{name}_last_year")]
        return [*self.share_names, *yoy, *self.count_names]

    # What the template iterates over: bound fields grouped as the unit reads them.

    def share_fields(self):
        return [self[f"fig_{name}"] for name in self.share_names]

    def yoy_rows(self):
        return [
            (FIGURE_LABELS.get(name, name), self[f"fig_{name}"], self[f"fig_{name}_last_year"])
            for name in self.yoy_names
        ]

    def item_fields(self):
        return [self[f"item_{n}"] for n in range(1, len(self.item_texts) + 1)]

    def item_rows(self):
        """(answer field, excuse field or None) per point."""
        return [
            (self[f"item_{n}"], self[f"excuse_{n}"] if self.excusable[n - 1] else None)
            for n in range(1, len(self.item_texts) + 1)
        ]

    def count_fields(self):
        return [self[f"fig_{name}"] for name in self.count_names]

    def clean(self):
        data = super().clean()
        has_evidence = bool(data.get("evidence")) or bool(self.view.evidence)
        for number, label in enumerate(self.item_labels, start=1):
            if data.get(f"item_{number}") != ItemAnswer.EXCUSED:
                continue
            if not (data.get(f"excuse_{number}") or "").strip():
                self.add_error(
                    f"excuse_{number}",
                    _(
                        "Point %(point)s is answered “occurred, but excused”: say why (force "
                        "majeure, or detected and reported at once)."
                    )
                    % {"point": label},
                )
            if not has_evidence:
                self.add_error(
                    "evidence",
                    _("Attach the proof that the event under point %(point)s is excused.")
                    % {"point": label},
                )
        total, rated = data.get("fig_departments_total"), data.get("fig_departments_rated")
        if total is not None and rated is not None and rated > total:
            self.add_error(
                "fig_departments_rated",
                _("%(rated)s departments rated cannot be more than the %(total)s there are.")
                % {"rated": rated, "total": total},
            )
        return data

    def answer_values(self) -> dict:
        """The values for services.assessment.save_answers; an untouched note stays "copied"."""
        data = self.cleaned_data
        values = {"answer": data["answer"]}
        if _normalised(data["note"]) != _normalised(self.view.answer.note):
            values["note"] = _normalised(data["note"])
        if self.figure_names:
            values["figures"] = {name: data.get(f"fig_{name}") for name in self.figure_names}
        if self.item_texts:
            values["items"] = {
                str(number): data[f"item_{number}"]
                for number in range(1, len(self.item_texts) + 1)
                if data.get(f"item_{number}")
            }
            values["excuses"] = {
                str(number): _normalised(data.get(f"excuse_{number}"))
                for number in range(1, len(self.item_texts) + 1)
                if data.get(f"item_{number}") == ItemAnswer.EXCUSED
            }
        if self.force_rating:
            values["rating"] = data.get("rating") or ""
        if self.discipline:
            values["disciplined"] = {"yes": True, "no": False}.get(data.get("disciplined"))
        return values
