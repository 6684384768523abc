import io

import pypdf

from soest_office.pdf import render_pdf


def _structure(node, found):
    node = node.get_object()
    if "/S" in node:
        found.append((str(node["/S"]), node.get("/Alt")))
    kids = node.get("/K")
    if kids is None:
        return found
    for kid in kids if isinstance(kids, list) else [kids]:
        kid = kid.get_object() if hasattr(kid, "get_object") else kid
        if isinstance(kid, dict) and "/S" in kid:
            _structure(kid, found)
    return found


def assert_tagged_pdf(content: bytes, *, title: str, figures=()) -> list:
    """Read the structure tree of a PDF back: tagged (PDF/UA-1), language de, the title,
    and an alternative text for each of `figures`. Returns the (tag, alt) pairs; shared by
    the tests of every PDF producer."""
    reader = pypdf.PdfReader(io.BytesIO(content))
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == "de"
    assert bool(catalog["/MarkInfo"]["/Marked"])
    assert reader.metadata.title == title
    tags = _structure(catalog["/StructTreeRoot"], [])
    assert tags, "no structure tree"
    for alt in figures:
        assert ("/Figure", alt) in tags
    assert all(alt for tag, alt in tags if tag == "/Figure"), "a figure without alt text"
    return tags


def test_render_pdf_is_tagged_with_language_title_and_alt_texts(tmp_path, settings):
    (tmp_path / "probe.html").write_text(
        '<!DOCTYPE html><html lang="de"><head><meta charset="utf-8"><title>Prüfbericht</title>'
        '</head><body><h1>Überschrift</h1><p>Absatz</p><img alt="Wappen der Stadt" '
        'src="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4'
        '2mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="></body></html>',
        encoding="utf-8",
    )
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]

    reader = pypdf.PdfReader(io.BytesIO(render_pdf("probe.html", {})))

    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == "de"
    assert bool(catalog["/MarkInfo"]["/Marked"])
    assert reader.metadata.title == "Prüfbericht"
    tags = _structure(catalog["/StructTreeRoot"], [])
    assert ("/H1", None) in tags
    assert ("/Figure", "Wappen der Stadt") in tags
