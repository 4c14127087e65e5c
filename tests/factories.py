import factory
import factory.random
from factory.django import DjangoModelFactory

from units import services
from units.models import Agency, Organisation, Unit

factory.random.reseed_random("portal")

PASSWORD = "Mat-khau-thu-9"


class AgencyFactory(DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ["abbreviation"]

    name = factory.Sequence(lambda n: f"Sở thứ {n}")
    abbreviation = factory.Sequence(lambda n: f"S{n}")
    parent_body = "UBND TỈNH BÀ RỊA - VŨNG TÀU"
    place_name = "Bà Rịa - Vũng Tàu"


class UnitFactory(DjangoModelFactory):
    class Meta:
        model = Unit

    agency = factory.SubFactory(AgencyFactory)
    name = factory.Sequence(lambda n: f"Phòng số {n}")
    abbreviation = factory.Sequence(lambda n: f"P{n}")
    kind = Unit.Kind.PHONG


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Cơ quan bên ngoài {n}")


class PersonFactory(factory.Factory):
    """A person made through the same service the import and the admin use."""

    class Meta:
        model = dict

    username = factory.Sequence(lambda n: f"nguoi{n}")
    full_name = factory.Faker("name", locale="vi_VN")
    agency = factory.SubFactory(AgencyFactory)
    roles = ()
    title = ""
    unit = None
    position = "Chuyên viên"
    is_head = False

    @classmethod
    def _create(cls, model_class, *, unit, position, is_head, **fields):
        user = services.person_save(password=PASSWORD, email=f"{fields['username']}@example.vn", **fields)
        if unit is not None:
            services.membership_save(user=user, unit=unit, position=position, is_head=is_head)
        return user

    _build = _create
