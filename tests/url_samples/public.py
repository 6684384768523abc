"""The pages reachable without login, with the status an anonymous GET gets."""

# Every page reachable without login, with the status an anonymous GET gets. Anything not
# listed must redirect anonymous users to /konto/anmelden/?next=<path> (the admin: to its
# login, which forwards to ours). Apps add their public pages (press list, feeds) here.
PUBLIC_URLS: dict[str, tuple[int, ...]] = {
    "soest_office:login": (200,),
    "soest_office:healthz": (200, 503),  # 503 when a service is down: still public
    "soest_office:sitemap": (200,),
    "soest_office:password_reset": (200,),
    "soest_office:password_reset_done": (200,),
    "soest_office:password_reset_confirm": (200,),
    "soest_office:password_reset_complete": (200,),
    "soest_office:invitation_accept": (200,),
    "soest_office:impressum": (200,),
    "soest_office:datenschutz": (200,),
    "soest_office:barrierefreiheit": (200,),
    "soest_office:feedback": (200,),
    "soest_office:feedback_thanks": (200,),
    "soest_office:leichte_sprache": (200,),
    # Public, but only meaningful after the password step: sends others to the login.
    "soest_office:otp_verify": (302,),
    "soest_office:admin_login": (302,),
    "admin:login": (302,),  # shadowed by soest_office:admin_login
    # Calendar subscriptions authenticate by their secret token; an unknown token is 404.
    "projects:calendar_feed": (404,),
    "projects:transparency_json": (200,),
    "projects:transparency_csv": (200,),
    # The public project pages (issue 18).
    "vorhaben:list": (200,),
    "vorhaben:detail": (200,),
    "vorhaben:document": (200,),
    # The open-data API (issue 18).
    "api_v1:index": (200,),
    "api_v1:api-root": (200,),
    "api_v1:openapi-json": (200,),
    "api_v1:katalog": (200,),
    "api_v1:projects": (200,),
    "api_v1:project": (200,),
    "api_v1:milestones": (200,),
    "api_v1:press_releases": (200,),
    "api_v1:contributions": (200,),
    # The public press pages (issue 5) and the unsubscribe link of press mails.
    # The attendance link of an invitation mail: its signed token is the credential; the
    # sample token is tampered (400 with a German message).
    "meetings:respond_link": (400,),
    # OParl 1.1 (issue 17): the public meetings, read-only.
    **{
        f"meetings:oparl_{name}": (200,)
        for name in (
            "system",
            "body_list",
            "body",
            "organization_list",
            "person_list",
            "meeting_list",
            "paper_list",
            "organization",
            "person",
            "meeting",
            "agenda_item",
            "paper",
            "consultation",
            "file",
            "file_content",
        )
    },
    "news:public_list": (200,),
    "news:public_detail": (200,),
    "news:public_image": (200,),
    "news:public_pdf": (200,),
    "news:feed_rss": (200,),
    "news:feed_atom": (200,),
    "news:feed_rss_tag": (200,),
    "news:feed_atom_tag": (200,),
    "news:sitemap": (200,),
    "news:unsubscribe": (200,),
    "news:feed_rss_section": (200,),
    "news:feed_atom_section": (200,),
    # The public subscription with double opt-in (issue 10); links carry signed tokens.
    "subscriptions:subscribe": (200,),
    "subscriptions:requested": (200,),
    "subscriptions:confirm": (200,),
    "subscriptions:manage": (200,),
    "subscriptions:unsubscribe": (200,),
    # Citizens' participation on public projects (issue 18); links carry signed tokens.
    "participation:public_list": (200,),
    "participation:submitted": (200,),
    "participation:support": (200,),
    "participation:confirm": (200,),
    "participation:support_confirm": (200,),
    "participation:withdraw": (200,),
}
