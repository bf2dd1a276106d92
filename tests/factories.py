"""factory_boy factories for the units registry."""

import factory
from factory.django import DjangoModelFactory

from units import services
from units.models import (
    Area,
    AreaKind,
    AreaLevel,
    ManagingLevel,
    ResidentialSubtype,
    Role,
    RoleAssignment,
    Unit,
    UnitType,
    User,
)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Văn A"
    last_name = "Nguyễn"
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.vn")
    password = factory.django.Password("mat-khau-thu-nghiem")


class AreaFactory(DjangoModelFactory):
    """Pass parent=<Area> to create a child; without it the area is a root (a province)."""

    class Meta:
        model = Area

    code = factory.Sequence(lambda n: f"{n + 10000:05d}")
    name = factory.Sequence(lambda n: f"Xã Thử Nghiệm {n}")
    level = AreaLevel.COMMUNE
    kind = AreaKind.XA

    @classmethod
    def _create(cls, model_class, *args, parent=None, **kwargs):
        area = model_class(**kwargs)
        if parent is None:
            return Area.objects.add_root(instance=area)
        return Area.objects.add_child(parent, instance=area)


class ProvinceFactory(AreaFactory):
    name = factory.Sequence(lambda n: f"Tỉnh Thử Nghiệm {n}")
    code = factory.Sequence(lambda n: f"P{n:02d}")
    level = AreaLevel.PROVINCE
    kind = AreaKind.TINH


class UnitFactory(DjangoModelFactory):
    class Meta:
        model = Unit

    code = factory.Sequence(lambda n: f"KDC{n:06d}")
    name = factory.Sequence(lambda n: f"Thôn Thử Nghiệm {n}")
    unit_type = UnitType.RESIDENTIAL_AREA
    residential_subtype = ResidentialSubtype.THON
    area = factory.SubFactory(AreaFactory)
    managing_level = ManagingLevel.COMMUNE
    contact_email = factory.LazyAttribute(lambda unit: f"{unit.code.lower()}@example.vn")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # Through the service, as the admin and the import do: it keeps the unit counters.
        return services.save_unit(model_class(*args, **kwargs), by=None)


class RoleAssignmentFactory(DjangoModelFactory):
    class Meta:
        model = RoleAssignment

    user = factory.SubFactory(UserFactory)
    role = Role.REVIEWER


def published_criteria_set(code="TT124-TEST", exclusion_rule="circular_124"):
    """A published set with one criterion per unit type (the migration loads the real sets)."""
    from certification.models import CriteriaSet, CriteriaSetStatus, Criterion, CriterionKind

    criteria_set = CriteriaSet.objects.create(
        code=code,
        title="Bộ tiêu chí thử nghiệm",
        legal_basis="Thông tư 124/2021/TT-BCA",
        effective_from="2022-02-10",
        exclusion_rule=exclusion_rule,
        status=CriteriaSetStatus.PUBLISHED,
    )
    Criterion.objects.bulk_create(
        Criterion(
            criteria_set=criteria_set,
            unit_type=unit_type,
            number=1,
            title="Đăng ký phấn đấu",
            text="Trong quý I, đơn vị đăng ký phấn đấu.",
            kind=CriterionKind.DOC,
        )
        for unit_type in UnitType.values
    )
    return criteria_set
