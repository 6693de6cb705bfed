import datetime

from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lienhiep.core.forms import SafeForm, SafeModelForm, check_text
from lienhiep.core.models import Union
from lienhiep.core.uploads import JPEG, PNG, check_upload
from lienhiep.core.widgets import DateTimeTextInput, offer_choice
from lienhiep.paperwork.codes import clean_code
from lienhiep.portal.models import Article, LegalDocument, Publication, number_key
from lienhiep.portal.queries import document_hint
from lienhiep.portal.richtext import plain_to_html, sanitize, to_text

DATE = {"type": "date"}
FIRST_DOCUMENT_YEAR = 1945  # older dates are typing mistakes (0202 for 2022), not documents


class LegalDocumentForm(SafeModelForm):
    class Meta:
        model = LegalDocument
        fields = [
            "number_symbol",
            "doc_type",
            "issuer",
            "issued_on",
            "effective_on",
            "expires_on",
            "status",
            "summary",
            "fields",
            "replaced_by",
            "is_public",
        ]
        widgets = {
            "issued_on": forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
            "effective_on": forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
            "expires_on": forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
            "summary": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, union: Union, **kwargs):
        super().__init__(*args, **kwargs)
        self.union = union
        others = LegalDocument.objects.filter(union=union)
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        self.fields["replaced_by"].queryset = others
        url = reverse("portal:document_pick", args=[union.slug])  # the Union's documents, searched by number too
        offer_choice(self.fields["replaced_by"], url, hint=document_hint, search_field="search_folded")

    def clean(self):
        data = super().clean()
        issued, effective, expires = data.get("issued_on"), data.get("effective_on"), data.get("expires_on")
        if issued and not (FIRST_DOCUMENT_YEAR <= issued.year and issued <= timezone.localdate()):
            self.add_error("issued_on", _("The date issued must be between %s and today.") % FIRST_DOCUMENT_YEAR)
        if issued and effective and effective < issued:
            self.add_error("effective_on", _("The effective date cannot be before the date issued."))
        if expires and (effective or issued) and expires < (effective or issued):
            self.add_error("expires_on", _("The end of validity cannot be before the document takes effect."))
        if data.get("status") in (LegalDocument.Status.AMENDED, LegalDocument.Status.REPLACED) and not data.get(
            "replaced_by"
        ):
            self.add_error("replaced_by", _("Say which document amends or replaces this one."))
        if data.get("status") == LegalDocument.Status.EXPIRED and not expires:
            self.add_error("expires_on", _("Give the date the document stopped applying."))
        number = data.get("number_symbol")
        if number:
            clash = LegalDocument.objects.filter(union=self.union, number_key=number_key(number))
            if self.instance.pk:
                clash = clash.exclude(pk=self.instance.pk)
            if clash.exists():
                self.add_error("number_symbol", _("A document with this number and symbol is already recorded."))
        return data

    def save(self, commit: bool = True):
        self.instance.union = self.union
        return super().save(commit=commit)


class ArticleForm(SafeModelForm):
    class Meta:
        model = Article
        fields = ["title", "lead", "body", "author", "source_url"]
        widgets = {"lead": forms.Textarea(attrs={"rows": 3}), "body": forms.Textarea(attrs={"rows": 16})}

    def clean_body(self):
        body = self.cleaned_data.get("body", "")
        if not to_text(sanitize(plain_to_html(body))):
            raise forms.ValidationError(_("The body has no text left once unsafe content is removed."))
        return body


class MomentField(forms.DateTimeField):
    """A day and a time typed as text (core.widgets.DateTimeTextInput): a hidden or control character in it is
    named, as in any typed text, before the way of writing it is explained."""

    def to_python(self, value):
        if isinstance(value, str):
            check_text(value)
        return super().to_python(value)


class PublishForm(SafeForm):
    published_at = MomentField(
        label=_("Publish at"),
        required=False,
        widget=DateTimeTextInput(),
        input_formats=[
            "%d/%m/%Y %H:%M",
            "%d-%m-%Y %H:%M",
            "%d.%m.%Y %H:%M",
            "%H:%M %d/%m/%Y",
            "%d/%m/%Y",
            "%Y-%m-%dT%H:%M",
            "%Y-%m-%d %H:%M",
        ],
        help_text=_("Leave empty to publish now; a later time schedules the article."),
        error_messages={"invalid": _("Write the day and time as dd/mm/yyyy HH:MM, e.g. 11/11/2026 08:30.")},
    )

    def clean_published_at(self):
        value = self.cleaned_data.get("published_at")
        if value and value < timezone.now() - datetime.timedelta(days=3650):
            raise forms.ValidationError(_("Choose a publication time within the last ten years or later."))
        return value


class ArticleImageForm(SafeForm):
    file = forms.FileField(label=_("Photo (PNG or JPEG)"))
    caption = forms.CharField(label=_("Caption"), max_length=500)
    credit = forms.CharField(label=_("Credit"), max_length=200, required=False, help_text=_("e.g. Ảnh: QM"))
    alt = forms.CharField(
        label=_("Description for screen readers"),
        max_length=300,
        required=False,
        help_text=_("What the photo shows (the caption is used if empty)"),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        check_upload(upload, (PNG, JPEG))
        return upload


class PublicationForm(SafeModelForm):
    class Meta:
        model = Publication
        fields = ["kind", "title", "summary", "body"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 4}), "body": forms.Textarea(attrs={"rows": 12})}


class CertificateForm(SafeForm):
    holder_name = forms.CharField(label=_("Awarded to"), max_length=300)
    title = forms.CharField(
        label=_("Awarded for"), max_length=500, help_text=_("e.g. Giải Nhì Hội thi Sáng tạo kỹ thuật lần thứ 10")
    )
    issued_on = forms.DateField(label=_("Date issued"), widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"))
    issuer = forms.CharField(
        label=_("Issued by"), max_length=300, required=False, help_text=_("The Union's name if empty")
    )

    def clean_issued_on(self):
        day = self.cleaned_data["issued_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("A certificate cannot be dated in the future."))
        return day


class RevokeForm(SafeForm):
    reason = forms.CharField(label=_("Reason for revoking"), max_length=500)


class CertificateCheckForm(SafeForm):
    code = forms.CharField(
        label=_("Certificate code"),
        max_length=60,
        help_text=_("The code printed on the certificate, e.g. ABCD-EFGH-JKLM (dashes and spaces optional)"),
    )


class DocumentFilterForm(SafeForm):
    """Only used for its choices and cleaning; the list page renders its own compact filters."""

    q = forms.CharField(required=False)
    type = forms.ChoiceField(required=False, choices=[("", "")] + list(LegalDocument.DocType.choices))
    issuer = forms.CharField(required=False)
    field = forms.CharField(required=False)
    year = forms.IntegerField(required=False, min_value=1945, max_value=2100)
    status = forms.ChoiceField(required=False, choices=[("", "")] + list(LegalDocument.Status.choices))


def certificate_initial() -> dict:
    return {"issued_on": timezone.localdate()}


VERIFY_MAX_BYTES = 20 * 1024 * 1024


class VerifyForm(SafeForm):
    """Check an issued document: upload its PDF, or type its number and the code printed under its signature."""

    file = forms.FileField(label=_("The PDF you received"), required=False, help_text=_("Nothing you upload is kept."))
    number = forms.CharField(label=_("Document number"), max_length=50, required=False, help_text=_("e.g. 05/BC-LHH"))
    code = forms.CharField(
        label=_("Verification code"),
        max_length=60,
        required=False,
        help_text=_("Printed under the signature, e.g. ABCD-EFGH-JKLM"),
    )

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        if upload:
            if upload.size > VERIFY_MAX_BYTES:
                raise forms.ValidationError(_("The file is larger than 20 MB: it is not a document we issued."))
            head = upload.read(5)
            upload.seek(0)
            if head != b"%PDF-":
                raise forms.ValidationError(_("This is not a PDF file."))
        elif not (data.get("number", "").strip() and clean_code(data.get("code", ""))):
            raise forms.ValidationError(_("Upload the PDF, or type both the document number and its code."))
        return data
