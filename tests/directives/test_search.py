"""One search box that ignores Vietnamese diacritics and case."""

import pytest

from directives import services
from directives.selectors import DocumentFilters, document_search


@pytest.fixture
def documents(make_approved, make_draft, clerk):
    issued = services.document_issue(document=make_approved(subject="Phương án cách ly tập trung"), by=clerk)
    correction = make_draft(subject="Đính chính Thông báo số 05", body="<p>Sửa lỗi đánh máy</p>")
    other = make_draft(subject="Kế hoạch kiểm tra đo lường", urgency="khan")
    return issued, correction, other


def found(user, **filters):
    return [d.subject for d in document_search(user=user, filters=DocumentFilters(**filters))]


@pytest.mark.parametrize(
    ("query", "subject"),
    [
        ("cach ly", "Phương án cách ly tập trung"),
        ("CÁCH LY", "Phương án cách ly tập trung"),
        ("dinh chinh", "Đính chính Thông báo số 05"),
        ("ĐÍNH chính", "Đính chính Thông báo số 05"),
        ("danh may", "Đính chính Thông báo số 05"),  # in the body
        ("01/tb-skhcn", "Phương án cách ly tập trung"),  # the symbol
        ("kiem tra do luong", "Kế hoạch kiểm tra đo lường"),
    ],
)
def test_search_ignores_diacritics_and_case(documents, specialist, query, subject):
    assert found(specialist, q=query) == [subject]


def test_every_word_must_match(documents, specialist):
    assert found(specialist, q="cach ly do luong") == []


def test_filters_narrow_the_search(documents, specialist):
    assert found(specialist, urgency="khan") == ["Kế hoạch kiểm tra đo lường"]
    assert found(specialist, state="issued") == ["Phương án cách ly tập trung"]
    assert len(found(specialist, direction="outgoing")) == 3
    assert found(specialist, direction="incoming") == []
