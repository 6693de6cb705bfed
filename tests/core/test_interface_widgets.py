"""The base forms give every file field the interface's file picker and every date field a text input read and shown
as dd/mm/yyyy (core/widgets.py), whatever widget the form declared; a field added in a form's __init__ too."""

import datetime

from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template

from lienhiep.core.forms import SafeForm, SafeModelForm
from lienhiep.core.widgets import DATE_PLACEHOLDER, DateTextInput, FilePicker
from lienhiep.portal.models import LegalDocument


class Sample(SafeForm):
    day = forms.DateField(label="Ngày", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    letter = forms.FileField(label="Công văn", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["later"] = forms.DateField(label="Hạn", required=False)


class DocumentDates(SafeModelForm):
    class Meta:
        model = LegalDocument
        fields = ["issued_on"]


def test_a_date_is_typed_and_shown_dd_mm_yyyy():
    form = Sample(initial={"day": datetime.date(2021, 11, 11)})
    html = str(form["day"])
    assert 'type="text"' in html and 'value="11/11/2021"' in html
    assert f'placeholder="{DATE_PLACEHOLDER}"' in html and 'inputmode="numeric"' in html and "pattern=" in html
    assert isinstance(form.fields["later"].widget, forms.DateInput) and 'type="text"' in str(form["later"])
    assert 'type="text"' in str(DocumentDates()["issued_on"])  # a model's date field, too


def test_both_ways_of_writing_a_day_are_read_and_an_impossible_one_is_refused_in_vietnamese():
    for typed in ("11/11/2021", "2021-11-11", "11-11-2021"):
        form = Sample({"day": typed})
        assert form.is_valid(), (typed, form.errors)
        assert form.cleaned_data["day"] == datetime.date(2021, 11, 11)
    form = Sample({"day": "31/02/2021"})
    assert not form.is_valid() and "Nhập một ngày hợp lệ" in str(form.errors["day"])
    assert 'value="31/02/2021"' in str(form["day"])  # given back as typed, to be corrected


def test_the_file_picker_speaks_the_interface_language_and_still_sends_the_file():
    form = Sample()
    html = str(form["letter"])
    assert isinstance(form.fields["letter"].widget, FilePicker)
    assert "Chọn tệp…" in html and "Chưa chọn tệp nào" in html and 'type="file"' in html
    assert 'class="lh-file"' in html and 'id="id_letter"' in html
    upload = SimpleUploadedFile("cong-van.pdf", b"%PDF-1.4", content_type="application/pdf")
    form = Sample({"day": "11/11/2021"}, {"letter": upload})
    assert form.is_valid() and form.cleaned_data["letter"].name == "cong-van.pdf"


def test_a_file_fields_error_is_shown_beside_the_picker():
    class Required(SafeForm):
        letter = forms.FileField(label="Công văn")

    form = Required({}, {})
    assert not form.is_valid()
    html = Template("{% load lienhiep %}{{ field|bootstrap }}").render(Context({"field": form["letter"]}))
    assert 'class="lh-file is-invalid"' in html  # Bootstrap shows the .invalid-feedback that follows it


def test_hand_written_fields_in_templates_are_the_same_widgets():
    html = Template(
        '{% load lienhiep %}{% date_input "on" "on" day required=True %}{% file_input "file" "f" accept=".pdf" %}'
    ).render(Context({"day": datetime.date(2025, 7, 1)}))
    assert 'type="text"' in html and 'value="01/07/2025"' in html and "required" in html
    assert "Chọn tệp…" in html and 'accept=".pdf"' in html
    assert DateTextInput(attrs={"type": "date"}).input_type == "text"
