"""Nobody reaches a document they may not see: lists, search, detail lookups all go
through documents_visible_to / document_get_for, which answer 404 for outsiders."""

import pytest
from django.http import Http404

from directives import services
from directives.permissions import document_get_for, documents_visible_to
from directives.selectors import DocumentFilters, document_search, unit_inbox
from tests.factories import PersonFactory, UnitFactory
from units.roles import Role


@pytest.fixture
def issued(make_approved, clerk):
    return services.document_issue(document=make_approved(subject="Phương án cách ly tập trung"), by=clerk)


def visible(user):
    return set(documents_visible_to(user).values_list("pk", flat=True))


def test_the_author_sees_their_draft_and_a_colleague_does_not(make_draft, specialist, science_unit):
    draft = make_draft()
    colleague = PersonFactory(agency=science_unit.agency, roles=[Role.STAFF], unit=science_unit)
    assert draft.pk in visible(specialist)
    assert draft.pk not in visible(colleague)
    with pytest.raises(Http404):
        document_get_for(colleague, draft.pk)


def test_members_of_an_addressed_unit_see_the_issued_document(issued, science_unit, agency):
    member = PersonFactory(agency=agency, roles=[Role.STAFF], unit=science_unit)
    elsewhere = PersonFactory(agency=agency, roles=[Role.STAFF], unit=UnitFactory(agency=agency))
    assert issued.pk in visible(member)
    assert issued.pk in {d.pk for d in unit_inbox(user=member)}
    assert issued.pk not in visible(elsewhere)


def test_directors_see_every_document_of_their_agency(make_draft, director):
    assert make_draft().pk in visible(director)


def test_an_outsider_sees_nothing_by_any_read_path(issued, make_draft, outsider):
    draft = make_draft()
    assert visible(outsider) == set()
    for pk in (issued.pk, draft.pk):
        with pytest.raises(Http404):
            document_get_for(outsider, pk)
    assert not document_search(user=outsider, filters=DocumentFilters(q="cach ly")).exists()
    assert not unit_inbox(user=outsider).exists()


def test_a_director_of_another_agency_sees_nothing(issued, outsider):
    other_director = PersonFactory(agency=outsider.agency, roles=[Role.DIRECTOR])
    assert issued.pk not in visible(other_director)


def test_confidential_documents_are_seen_only_through_grants(make_draft, specialist, unit_head, director, agency):
    secret = make_draft(confidentiality="mat", subject="Văn bản mật về nhân sự")
    deputy = PersonFactory(agency=agency, roles=[Role.DEPUTY_DIRECTOR])
    assert secret.pk in visible(specialist)  # the author is granted at creation
    assert secret.pk not in visible(deputy)  # leading the agency is not enough
    assert secret.pk not in visible(unit_head)
    services.document_submit(document=secret, by=specialist)
    assert secret.pk in visible(unit_head)  # the workflow grants whom it involves
    services.document_grant(document=secret, by=director, user=deputy)
    assert secret.pk in visible(deputy)


def test_the_clerk_sees_signed_documents_to_issue_them(make_approved, clerk):
    assert make_approved().pk in visible(clerk)


def test_visibility_is_one_query_whatever_the_number_of_documents(make_draft, director, django_assert_num_queries):
    for _ in range(5):
        make_draft()
    director.roles  # noqa: B018 - read the roles before counting, as a request does
    with django_assert_num_queries(1):
        list(documents_visible_to(director))
