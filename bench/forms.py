"""Read a page's HTML form as a browser would submit it (for the write scenarios).

`form_data(html, field)` finds the POST form that contains an input named `field` and
returns what pressing its submit button sends: text, hidden, date, number ... inputs with
their values, checked checkboxes and radios, the selected options of every <select> (all of
them for a multiple select) and the text of every <textarea>.
"""

from html.parser import HTMLParser

_NOT_SENT = {"submit", "button", "reset", "image", "file"}


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[list[tuple[str, str]]] = []
        self._form: list[tuple[str, str]] | None = None
        self._select: tuple[str, bool] | None = None  # name, multiple
        self._select_options: list[tuple[str, bool]] = []
        self._option: dict | None = None
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            if (a.get("method") or "get").lower() == "post":
                self._form = []
            return
        if self._form is None:
            return
        name = a.get("name")
        if tag == "input" and name and "disabled" not in a:
            kind = (a.get("type") or "text").lower()
            if kind in _NOT_SENT:
                return
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self._form.append((name, a.get("value", "on")))
                return
            self._form.append((name, a.get("value") or ""))
        elif tag == "select" and name and "disabled" not in a:
            self._select = (name, "multiple" in a)
            self._select_options = []
        elif tag == "option" and self._select is not None:
            self._option = {"value": a.get("value"), "selected": "selected" in a, "text": []}
        elif tag == "textarea" and name and "disabled" not in a:
            self._textarea, self._text = name, []

    def handle_data(self, data):
        if self._option is not None:
            self._option["text"].append(data)
        if self._textarea is not None:
            self._text.append(data)

    def _end_option(self):
        if self._option is not None:
            o = self._option
            value = o["value"] if o["value"] is not None else "".join(o["text"]).strip()
            self._select_options.append((value, o["selected"]))
            self._option = None

    def handle_endtag(self, tag):
        if self._form is None:
            return
        if tag == "option":
            self._end_option()
        elif tag == "select" and self._select is not None:
            self._end_option()
            name, multiple = self._select
            chosen = [v for v, selected in self._select_options if selected]
            if not chosen and not multiple and self._select_options:
                chosen = [self._select_options[0][0]]  # a browser sends the first option
            self._form.extend((name, v) for v in chosen)
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            text = "".join(self._text)
            self._form.append((self._textarea, text[1:] if text.startswith("\n") else text))
            self._textarea = None
        elif tag == "form":
            self.forms.append(self._form)
            self._form = None


def form_data(html: str, field: str) -> dict[str, str | list[str]]:
    """The data the POST form containing `field` sends (lists for repeated names)."""
    parser = _FormParser()
    parser.feed(html)
    for fields in parser.forms:
        if any(name == field for name, _ in fields):
            data: dict[str, str | list[str]] = {}
            for name, value in fields:
                if name in data:
                    old = data[name]
                    data[name] = [*old, value] if isinstance(old, list) else [old, value]
                else:
                    data[name] = value
            return data
    raise LookupError(f"kein POST-Formular mit dem Feld {field!r} auf der Seite")
