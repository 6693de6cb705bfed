from django import forms
from django.utils.translation import gettext_lazy as _

from lienhiep.core.forms import SafeForm
from lienhiep.national.services import COMMENT_LIMIT


class DueDateForm(SafeForm):
    due_on = forms.DateField(label=_("Reports due on"), widget=forms.DateInput(attrs={"type": "date"}))


class AnswerForm(SafeForm):
    reason = forms.CharField(label=_("Comment"), required=False, max_length=COMMENT_LIMIT, widget=forms.Textarea)
