"""The widgets people expect, on the server side: dd/mm/yyyy dates, multi-selects with
«Tất cả đơn vị thuộc Sở», only translated languages, Công văn first, tab titles, the icon and
the API docs page."""

import datetime
import re

from django.urls import reverse

from directives.forms import DraftForm, document_types
from directives.models import DocumentType
from tasks.forms import ExtensionForm, TaskForm


def test_a_date_is_read_as_dd_mm_yyyy_and_as_iso(db):
    for typed in ("05/02/2027", "5/2/2027", "05-02-2027", "2027-02-05"):
        form = ExtensionForm({"new_deadline": typed, "reason": ""})
        assert form.is_valid(), (typed, form.errors)
        assert form.cleaned_data["new_deadline"] == datetime.date(2027, 2, 5)


def test_a_date_is_written_as_dd_mm_yyyy_in_a_text_input_with_the_picker(db):
    html = str(ExtensionForm(initial={"new_deadline": datetime.date(2027, 2, 5)})["new_deadline"])
    assert 'value="05/02/2027"' in html
    assert 'type="text"' in html and "data-datepicker" in html and 'placeholder="dd/mm/yyyy"' in html
    assert 'type="date"' not in html


def test_no_date_field_of_a_page_is_a_browser_date_input(client, director):
    client.force_login(director)
    for name in ("tasks:create", "directives:create", "directives:registers", "audit:trail"):
        page = client.get(reverse(name)).content.decode()
        assert 'type="date"' not in page, name


def test_units_are_a_searchable_multi_select_with_all_units_of_the_agency(specialist, science_unit):
    form = DraftForm(user=specialist)
    html = str(form["recipient_units"])
    assert re.search(r"<select [^>]*multiple", html) and "data-multiselect" in html
    assert 'data-select-all="Tất cả đơn vị thuộc Sở"' in html
    assert 'type="checkbox"' not in html
    assert "data-multiselect" in str(TaskForm(user=specialist)["cooperating_units"])


def test_the_plain_multi_select_posts_the_units_without_scripts(client, specialist, office, science_unit, cong_van):
    from tests.directives.test_pages import _form_data

    client.force_login(specialist)
    client.post(reverse("directives:create"), _form_data(cong_van, recipient_units=[office.pk, science_unit.pk]))
    from directives.models import Document

    document = Document.objects.get()
    assert {r.unit_id for r in document.recipients.all()} == {office.pk, science_unit.pk}


def test_only_vietnamese_is_offered_and_the_switch_is_hidden(client, specialist):
    client.force_login(specialist)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.get(reverse("tasks:mine"))
    assert response["Content-Language"] == "vi"
    page = response.content.decode()
    assert "Tiếng Anh" not in page and "English" not in page
    assert 'name="language"' not in page


def test_cong_van_comes_first_and_a_new_draft_defaults_to_it(client, specialist):
    assert document_types().first().name == "Công văn"
    # Before, the list was by name alone and «Biên bản» came first.
    assert DocumentType.objects.filter(is_active=True).order_by("name").first().name != "Công văn"
    client.force_login(specialist)
    page = client.get(reverse("directives:create")).content.decode()
    select = page[page.index('name="doc_type"') :]
    first = re.search(r"<option [^>]*>([^<]+)</option>", select)
    assert first.group(1) == "Công văn"


def test_a_drafts_tab_title_is_its_subject_and_an_issued_ones_its_symbol(client, specialist, make_draft):
    draft = make_draft(subject="Về việc rà soát đề tài & dự án")
    client.force_login(specialist)
    title = re.search(
        r"<title>(.*?)</title>", client.get(reverse("directives:detail", args=[draft.pk])).content.decode()
    )
    assert title.group(1).startswith("Về việc rà soát đề tài &amp; dự án — ")
    assert "/SKHCN" not in title.group(1)
    edit = client.get(reverse("directives:edit", args=[draft.pk])).content.decode()
    assert re.search(r"<title>Về việc rà soát", edit)


def test_the_favicon_answers_and_pages_name_it(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert b"<svg" in b"".join(response.streaming_content)
    assert 'rel="icon"' in client.get(reverse("login")).content.decode()


def test_the_api_docs_show_the_token_syntax_and_have_no_inline_style_or_script(client, db):
    schema = client.get(reverse("openapi")).json()
    assert "`Authorization: Bearer <token>`" in schema["info"]["description"]
    page = client.get(reverse("api-docs")).content.decode()
    assert "<style" not in page and 'style="' not in page
    assert all("src=" in tag for tag in re.findall(r"<script[^>]*>", page))
