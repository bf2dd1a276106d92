"""get_FOO_display() reads labels from a table made once per field (units.models.ChoiceLabels)."""

from django.apps import apps
from django.utils import translation

from certification.models import Assessment, AssessmentStatus
from units.models import ChoiceLabels, Unit, UnitType


def test_every_model_with_a_choice_field_is_a_choice_labels_model():
    with_choices = [
        model
        for model in apps.get_models()
        if model._meta.app_label in {"units", "certification"}
        and not model._meta.model_name.startswith("historical")  # django-simple-history's copies
        and any(field.choices for field in model._meta.concrete_fields)
    ]

    assert len(with_choices) > 20
    assert [model.__name__ for model in with_choices if not issubclass(model, ChoiceLabels)] == []


def test_choice_label_is_in_the_language_of_the_request():
    unit = Unit(unit_type=UnitType.RESIDENTIAL_AREA)

    with translation.override("vi"):
        assert unit.get_unit_type_display() == "khu dân cư"
    with translation.override("en"):
        assert unit.get_unit_type_display() == "residential area"


def test_choice_label_matches_django_for_every_value_and_an_unknown_one():
    with translation.override("vi"):
        for value, label in AssessmentStatus.choices:
            assert Assessment(status=value).get_status_display() == str(label)
        assert Assessment(status="gone").get_status_display() == "gone"
        assert Assessment(awaiting_level=None).get_awaiting_level_display() is None
