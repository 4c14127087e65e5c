"""A form field's errors and help are tied to it for screen readers (`directives/_field.html`)."""

from django import forms
from django.template.loader import render_to_string


class Sample(forms.Form):
    subject = forms.CharField(
        label="Trích yếu", help_text="Ngắn gọn.", error_messages={"required": "Hãy ghi trích yếu."}
    )


def test_a_refused_field_is_marked_invalid_and_described_by_its_help_and_error():
    form = Sample(data={})
    assert not form.is_valid()
    html = render_to_string("directives/_field.html", {"field": form["subject"]})
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_subject_helptext id_subject_error"' in html
    assert '<div class="form-text" id="id_subject_helptext">Ngắn gọn.</div>' in html
    assert 'id="id_subject_error"><div>Hãy ghi trích yếu.</div></div>' in html


def test_a_valid_field_is_described_by_its_help_only():
    html = render_to_string("directives/_field.html", {"field": Sample()["subject"]})
    assert "aria-invalid" not in html
    assert 'aria-describedby="id_subject_helptext"' in html
    assert "_error" not in html


def test_a_form_with_its_own_ids_keeps_them_on_help_and_error():
    form = Sample(data={}, auto_id="id_submit_%s")
    form.is_valid()
    html = render_to_string("directives/_field.html", {"field": form["subject"]})
    assert 'id="id_submit_subject"' in html
    assert 'aria-describedby="id_submit_subject_helptext id_submit_subject_error"' in html
