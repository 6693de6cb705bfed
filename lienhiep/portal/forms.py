from django import forms
from django.utils.translation import gettext_lazy as _

from lienhiep.core.models import Union
from lienhiep.portal.models import LegalDocument, number_key


class LegalDocumentForm(forms.ModelForm):
    class Meta:
        model = LegalDocument
        fields = [
            "number_symbol",
            "doc_type",
            "issuer",
            "issued_on",
            "effective_on",
            "status",
            "summary",
            "replaced_by",
            "is_public",
        ]
        widgets = {
            "issued_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "effective_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "summary": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, union: Union, **kwargs):
        super().__init__(*args, **kwargs)
        self.union = union
        others = LegalDocument.objects.filter(union=union)
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        self.fields["replaced_by"].queryset = others

    def clean(self):
        data = super().clean()
        issued, effective = data.get("issued_on"), data.get("effective_on")
        if issued and effective and effective < issued:
            self.add_error("effective_on", _("The effective date cannot be before the date issued."))
        if data.get("status") in (LegalDocument.Status.AMENDED, LegalDocument.Status.REPLACED) and not data.get(
            "replaced_by"
        ):
            self.add_error("replaced_by", _("Say which document amends or replaces this one."))
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
