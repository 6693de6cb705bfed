"""The POST forms of a page as a browser would send them, for the hostile form tests: each form's action, its
fields with their present values, each field's type (an input's type, "select" or "textarea"), its maxlength and
its inputmode. A date typed in a text input (core.widgets.DateTextInput) is a "date", a time (TimeTextInput) a
"time"."""

from html.parser import HTMLParser

from lienhiep.core.widgets import DATE_PLACEHOLDER, TIME_PLACEHOLDER


class PostForms(HTMLParser):
    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._form = None
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self._form = {"action": a.get("action") or "", "fields": {}, "types": {}, "maxlength": {}, "inputmode": {}}
        if self._form is None or not a.get("name"):
            return
        name, form = a["name"], self._form
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio"):
                if "checked" in a and kind == "checkbox":
                    form["fields"].setdefault(name, a.get("value", "on"))
                elif kind == "radio":
                    form["fields"].setdefault(name, a.get("value", ""))
                return
            if kind == "text" and a.get("placeholder") == DATE_PLACEHOLDER:
                kind = "date"  # core.widgets.DateTextInput: a day typed dd/mm/yyyy in a text input
            elif kind == "text" and a.get("placeholder") == TIME_PLACEHOLDER:
                kind = "time"  # core.widgets.TimeTextInput: a time typed hh:mm in a text input
            form["fields"][name] = a.get("value", "")
            form["types"][name] = kind
            if a.get("maxlength"):
                form["maxlength"][name] = int(a["maxlength"])
            form["inputmode"][name] = a.get("inputmode") or ""
        elif tag == "select":
            self._select = name
            form["types"][name] = "select"
        elif tag == "option" and self._select:
            if "selected" in a or (self._select not in form["fields"] and a.get("value")):
                form["fields"][self._select] = a.get("value", "")
        elif tag == "textarea":
            self._textarea = name
            form["fields"][name] = ""
            form["types"][name] = "textarea"

    def handle_data(self, data):
        if self._form is not None and self._textarea:
            self._form["fields"][self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form" and self._form is not None:
            self.forms.append(self._form)
            self._form = None
