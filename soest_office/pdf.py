"""One way to make a PDF: WeasyPrint, tagged as PDF/UA-1 (BITV covers documents too).

Every PDF of the intranet and the public site goes through `render_pdf`, so each is tagged
(a structure tree screen readers follow), carries the language of the template's
``<html lang="de">`` and the title of its ``<title>``, and fetches nothing over the network.
Images need an ``alt`` text in the template; a data: URI keeps them inline.
"""

from django.template.loader import render_to_string

PDF_VARIANT = "pdf/ua-1"


def render_pdf(template_name: str, context: dict, *, base_url: str | None = None) -> bytes:
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    html = render_to_string(template_name, context)
    # Only inline data: URIs and files below base_url (static stylesheets), never the network.
    protocols = {"data", "file"} if base_url else {"data"}
    fetcher = URLFetcher(allowed_protocols=protocols)
    return HTML(string=html, base_url=base_url, url_fetcher=fetcher).write_pdf(
        pdf_variant=PDF_VARIANT
    )
