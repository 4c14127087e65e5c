"""Electronic identities of agencies and outside organisations (Decision 20/2020/QĐ-TTg)."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tests import factories
from units.models import Agency, Organisation

MESSAGE = "Mã định danh chỉ gồm chữ in hoa A–Z, chữ số và dấu chấm, tối đa 35 ký tự."


@pytest.mark.parametrize("value", ["H37.DN.001", "000.00.00.G22", "A" * 35, "1"])
def test_identifiers_of_digits_capitals_and_dots_are_accepted(db, value):
    factories.OrganisationFactory.build(exchange_id=value).full_clean()
    factories.AgencyFactory.build(exchange_id=value).full_clean()


@pytest.mark.parametrize("value", ["h37.dn.001", "H37-DN-001", "H37 DN", "H37/DN", "Đ37", "A" * 36, "H37.DN.001\n"])
@pytest.mark.parametrize("model", [Agency, Organisation])
def test_other_identifiers_are_refused_in_vietnamese(db, model, value):
    factory = factories.AgencyFactory if model is Agency else factories.OrganisationFactory
    with pytest.raises(ValidationError) as refused:
        factory.build(exchange_id=value).full_clean()
    assert MESSAGE in refused.value.message_dict["exchange_id"]


@pytest.mark.parametrize("factory", [factories.AgencyFactory, factories.OrganisationFactory])
def test_an_identifier_is_unique_but_many_may_have_none(db, factory):
    factory(exchange_id="")
    factory(exchange_id="")
    factory(exchange_id="H37.DN.001")
    with pytest.raises(ValidationError) as refused:
        factory.build(exchange_id="H37.DN.001").full_clean()
    assert "Mã định danh điện tử này đã được dùng." in refused.value.messages
    with pytest.raises(IntegrityError), transaction.atomic():
        factory(exchange_id="H37.DN.001")


def test_the_admin_shows_and_edits_the_identity(admin_client, agency):
    organisation = factories.OrganisationFactory(name="Sở Tài chính")
    page = admin_client.get(f"/admin/units/organisation/{organisation.pk}/change/")
    assert b'name="exchange_id"' in page.content
    response = admin_client.post(
        f"/admin/units/organisation/{organisation.pk}/change/",
        {"name": "Sở Tài chính", "exchange_id": "h37", "is_active": "on"},
    )
    assert MESSAGE in response.content.decode()
    organisation.refresh_from_db()
    assert organisation.exchange_id == ""
    admin_client.post(
        f"/admin/units/organisation/{organisation.pk}/change/",
        {"name": "Sở Tài chính", "exchange_id": "H37.DN.003", "is_active": "on"},
    )
    organisation.refresh_from_db()
    assert organisation.exchange_id == "H37.DN.003"
    assert b'name="exchange_id"' in admin_client.get(f"/admin/units/agency/{agency.pk}/change/").content
