"""Read a page's form back as the browser would post it (for tests that edit and re-post)."""

from html.parser import HTMLParser


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[list[tuple[str, str]]] = []
        self._form = None
        self._textarea = None
        self._select = None
        self._option = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = []
            self.forms.append(self._form)
        if self._form is None:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self._form.append((name, a.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "textarea" and name:
            self._textarea = [name, ""]
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in a:
            self._form.append((self._select, a.get("value", "")))

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea is not None:
            value = self._textarea[1]
            self._form.append((self._textarea[0], value[1:] if value.startswith("\n") else value))
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form":
            self._form = None


def form_data(html: str, *, containing: str = "version") -> dict:
    """The fields of the first form that has a field named `containing`, as a dict for
    Client.post (lists for repeated names)."""
    parser = _FormParser()
    parser.feed(html)
    for form in parser.forms:
        names = [n for n, _ in form]
        if containing in names:
            data: dict = {}
            for name, value in form:
                if name == "csrfmiddlewaretoken":
                    continue
                if names.count(name) > 1:
                    data.setdefault(name, []).append(value)
                else:
                    data[name] = value
            return data
    raise AssertionError(f"no form with a field {containing!r} on the page")
