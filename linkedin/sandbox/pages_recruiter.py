"""Recruiter pages: the member directory with search, and on a member's page the recruiter's
actions (export to one of the customer's synced jobs, send an InMail, write a note) and the
member's own answer (accept to share the profile, which creates a mail stub)."""

from __future__ import annotations

from urllib.parse import urlencode

from linkedin.sandbox import html as h
from linkedin.sandbox import recruiter
from linkedin.sandbox.core import Sandbox
from linkedin.sandbox.pages import check_csrf, csrf_field, current_member, layout
from linkedin.sandbox.restli import ApiError
from linkedin.sandbox.storage import Record
from linkedin.sandbox.web import Request, Response, Router, esc, redirect

MEMBER = r"/members/(?P<member>[A-Za-z0-9_-]+)"


def register(router: Router, sb: Sandbox) -> None:
    router.add("GET", r"/members", lambda r: directory(sb, r))
    router.add("GET", MEMBER, lambda r: profile(sb, r))
    router.add("POST", MEMBER + "/export", lambda r: act(sb, r, _export))
    router.add("POST", MEMBER + "/inmail", lambda r: act(sb, r, _inmail))
    router.add("POST", MEMBER + "/notes", lambda r: act(sb, r, _note))
    router.add("POST", MEMBER + "/notes/delete", lambda r: act(sb, r, _note_delete))
    router.add("POST", MEMBER + "/share", lambda r: act(sb, r, _share))


def directory(sb: Sandbox, request: Request) -> Response:
    query = request.query_dict().get("q", "").strip()
    needle = query.lower()

    def text(m: Record) -> str:
        parts = ("firstName", "lastName", "headline", "currentCompanyName", "location")
        return " ".join(m[p] for p in parts).lower()

    found = [m for m in sb.storage.all("member") if needle in text(m)]
    rows = [
        [
            f'<a href="/members/{esc(m["id"])}">{esc(m["firstName"])} {esc(m["lastName"])}</a>',
            esc(m["headline"]),
            esc(m["currentCompanyName"]),
            esc(m["location"]),
        ]
        for m in found
    ]
    headers = ("Name", "Headline", "Company", "Location")
    results = h.table(headers, rows, "Members") if rows else "<p>No member matches.</p>"
    search = h.form(
        "/members",
        h.field("Search members", "q", "search", query),
        h.button("Search"),
        method="get",
        role="search",
    )
    found_text = (
        f'<div class="card" aria-live="polite"><p>{len(found)} member(s)</p>{results}</div>'
    )
    return layout(sb, request, "Member directory", h.card(search) + found_text)


def _member_or_404(sb: Sandbox, request: Request) -> Record:
    member = sb.member(request.params["member"])
    if member is None:
        raise ApiError(404, "No such member")
    return member


def profile(sb: Sandbox, request: Request) -> Response:
    member = _member_or_404(sb, request)
    params = request.query_dict()
    viewer = current_member(sb, request)
    message = params.get("message", "")
    news = h.status(message) if message else '<p role="status"></p>'
    url = esc(member["publicProfileUrl"])
    card = h.card(
        news,
        f"<p>{esc(member['headline'])} · {esc(member['location'])}</p>",
        f"<p>{esc(member['currentJobTitle'])} at {esc(member['currentCompanyName'])}</p>",
        f'<p><a href="{url}">{url}</a></p>',
    )
    seats = sb.seats_of(viewer["urn"]) if viewer else []
    if seats:
        actions = _recruiter_actions(sb, request, member, seats, params.get("job_q", ""))
        actions = _in_ats(sb, member) + actions + _projects_and_alerts(sb, member, seats)
    else:
        target = urlencode({"next": f"/members/{member['id']}"})
        actions = h.card(
            f'<p><a href="/login?{target}">Sign in with a Recruiter seat</a> to export, '
            "send InMails or write notes.</p>"
        )
    title = f"{member['firstName']} {member['lastName']}"
    return layout(sb, request, title, card + actions + _member_side(sb, request, member))


def _seat_select(sb: Sandbox, seats: list[Record], form_id: str) -> str:
    if len(seats) == 1:
        return h.hidden("seat", seats[0]["urn"])
    options = "".join(
        f'<option value="{esc(s["urn"])}">'
        f"{esc((sb.contract(s['contract']) or {}).get('name'))}</option>"
        for s in seats
    )
    ident = f"{form_id}-seat"
    label = f'<label for="{ident}">Recruiter seat</label>'
    return f'{label}<select id="{ident}" name="seat">{options}</select>'


def _export_card(
    sb: Sandbox, request: Request, member: Record, seats: list[Record], job_q: str
) -> str:
    base = f"/members/{member['id']}"
    found = [(seat, j) for seat in seats for j in recruiter.exportable_jobs(sb, seat["urn"], job_q)]
    choices = "".join(
        h.choice(
            "radio",
            "job",
            f"job-{i}",
            f"{j['storageKey']}|{seat['urn']}",
            f"{j['title']} ({j['externalJobPostingId']}) - {j['location']}",
            checked=i == 0,
        )
        for i, (seat, j) in enumerate(found)
    )
    search = h.form(
        base,
        h.field("Job title or job number", "job_q", "search", job_q),
        h.button("Find jobs", secondary=True),
        method="get",
    )
    if found:
        export = h.form(
            f"{base}/export",
            csrf_field(sb, request),
            f"<fieldset><legend>Job</legend>{choices}</fieldset>",
            h.button("Export"),
        )
    else:
        export = (
            "<p>No synced job matches (the customer must sync open jobs and enable "
            "1-click export).</p>"
        )
    return h.card("<h2>Save to ATS (1-click export)</h2>", search, export)


def _recruiter_actions(
    sb: Sandbox, request: Request, member: Record, seats: list[Record], job_q: str
) -> str:
    base = f"/members/{member['id']}"
    csrf = csrf_field(sb, request)
    inmail = h.form(
        f"{base}/inmail",
        csrf,
        _seat_select(sb, seats, "inmail"),
        h.field("Subject", "subject", extra=" required"),
        h.textarea("Message", "body", rows=4),
        h.button("Send InMail"),
    )
    visibility = h.choice("radio", "visibility", "vis-private", "PRIVATE", "Private", True) + (
        h.choice("radio", "visibility", "vis-public", "PUBLIC", "Public")
    )
    note = h.form(
        f"{base}/notes",
        csrf,
        _seat_select(sb, seats, "note"),
        h.textarea("Note", "note"),
        f"<fieldset><legend>Visibility</legend>{visibility}</fieldset>",
        h.button("Save note"),
    )
    return (
        _export_card(sb, request, member, seats, job_q)
        + h.card("<h2>Send InMail</h2>", inmail)
        + h.card("<h2>Notes</h2>", note, _own_notes(sb, request, member, seats))
    )


def _own_notes(sb: Sandbox, request: Request, member: Record, seats: list[Record]) -> str:
    owned = {s["urn"] for s in seats}
    notes = sb.storage.all(
        "prospect_note",
        lambda n: n["prospect"] == member["urn"] and n["owner"] in owned and n["active"],
    )
    if not notes:
        return ""
    items = "".join(
        f"<li>{esc(n['note'])} <small>({esc(n['visibility'].lower())})</small>"
        + h.form(
            f"/members/{member['id']}/notes/delete",
            csrf_field(sb, request),
            h.hidden("id", n["id"]),
            h.button("Delete", secondary=True, aria=f"Delete note: {n['note'][:40]}"),
        )
        + "</li>"
        for n in notes
    )
    return f"<h3>Your notes</h3><ul>{items}</ul>"


def _in_ats(sb: Sandbox, member: Record) -> str:
    """Recruiter's "In ATS" indicator: the member's ATS candidate (matched to them) and its
    applications with the latest stage, as the ATS synced them (LINKEDIN.md 2.6)."""
    urn = member["urn"]
    candidates = [c for c in sb.storage.all("ats_candidate") if c.get("manualMatchedMember") == urn]
    numbers = {(c["clientId"], c["key"]["atsCandidateId"]) for c in candidates}
    applications = [
        a
        for a in sb.storage.all("ats_application")
        if (a["clientId"], a["entity"].get("atsCandidateId")) in numbers
    ]
    rows = "".join(_in_ats_row(sb, a) for a in applications)
    if not rows:
        return ""
    return h.card('<h2 data-testid="in-ats">In ATS</h2>', f"<ul>{rows}</ul>")


def _in_ats_row(sb: Sandbox, application: Record) -> str:
    from linkedin.sandbox.restli import key_id

    parent = f"{application['clientId']}|{key_id(application['key'])}"
    stages = [s for s in sb.storage.all("ats_application_stage") if s["parent"] == parent]
    latest = max(stages, key=lambda s: int(s["entity"]["atsCreatedAt"]), default=None)
    entity = application["entity"]
    job = entity.get("atsJobPostingName") or entity.get("atsJobPostingId") or "A job"
    stage = latest["entity"]["stage"] if latest else "Applied"
    return f"<li>{esc(job)}: {esc(stage)}</li>"


def _projects_and_alerts(sb: Sandbox, member: Record, seats: list[Record]) -> str:
    """Projects of the viewer's contracts holding the member, and the viewer's alerts on them
    (set through the sandbox-defined recruiterProjectMembers and recruiterAlerts)."""
    from linkedin.sandbox import api_actions

    contracts = {s["contract"] for s in seats}
    saved = api_actions.member_projects(sb, member["urn"], contracts)
    alerts = api_actions.member_alerts(sb, member["urn"], {s["urn"] for s in seats})
    names = "".join(f"<li>{esc(m['projectName'])}</li>" for m in saved)
    projects = f"<ul>{names}</ul>" if names else "<p>Not saved to any project.</p>"
    alert = (
        "<p>Keep me updated: you get alerts when this profile changes.</p>"
        if alerts
        else "<p>No profile-update alert.</p>"
    )
    return h.card(
        "<h2>Projects and alerts</h2>",
        f'<div data-testid="member-projects">{projects}</div>',
        alert,
    )


def _member_side(sb: Sandbox, request: Request, member: Record) -> str:
    """The member's inbox: InMails received, each with "accept and share my profile"."""
    received = sb.storage.all(
        "conversation_event",
        lambda e: member["urn"] in e["recipients"] and e["direction"] == "SENT",
    )
    stubs = sb.storage.all("mail_stub", lambda s: s["member"] == member["urn"])
    shared = {s["conversation"] for s in stubs}
    items = []
    for i, event in enumerate(received):
        sender = sb.member_by_urn(event["sender"]) or {}
        if event["conversation"] in shared:
            action = "<p>Profile shared.</p>"
        else:
            action = h.form(
                f"/members/{member['id']}/share",
                csrf_field(sb, request),
                h.hidden("conversation", event["conversation"]),
                h.choice(
                    "checkbox",
                    "share_email",
                    f"share-email-{i}",
                    "1",
                    "Share my email address",
                    True,
                ),
                h.button("Accept and share my profile"),
            )
        items.append(
            f"<li><strong>{esc(event['subject'])}</strong> from {esc(sender.get('firstName'))} "
            f"{esc(sender.get('lastName'))}<p>{esc(event['body'])}</p>{action}</li>"
        )
    inbox = f"<ul>{''.join(items)}</ul>" if items else "<p>No InMail yet.</p>"
    return h.card(f"<h2>As {esc(member['firstName'])}: InMails received</h2>", inbox)


# Actions ------------------------------------------------------------------------------------------


def act(sb: Sandbox, request: Request, action: object) -> Response:
    """Check the form token, run the action, and come back to the member page with a message."""
    form = request.form()
    check_csrf(sb, request, form)
    member = _member_or_404(sb, request)
    viewer = current_member(sb, request)
    try:
        message = action(sb, viewer, member, form)  # type: ignore[operator]
    except recruiter.RecruiterError as exc:
        message = f"Not done: {exc}"
    return redirect(f"/members/{member['id']}?" + urlencode({"message": message}))


def _seat_of(sb: Sandbox, viewer: Record | None, seat_urn: str) -> str:
    if viewer is None or not any(s["urn"] == seat_urn for s in sb.seats_of(viewer["urn"])):
        raise recruiter.RecruiterError("Sign in with that Recruiter seat first")
    return seat_urn


def _export(sb: Sandbox, viewer: Record | None, member: Record, form: dict[str, str]) -> str:
    job_key, _, seat = form.get("job", "").rpartition("|")
    record = recruiter.export(sb, _seat_of(sb, viewer, seat), member["id"], job_key)
    outcome = "delivered" if record.get("delivered") else "not delivered (see Push deliveries)"
    return f"Exported to the ATS; the partner notification was {outcome}."


def _inmail(sb: Sandbox, viewer: Record | None, member: Record, form: dict[str, str]) -> str:
    seat = _seat_of(sb, viewer, form.get("seat", ""))
    recruiter.send_inmail(sb, seat, member["id"], form.get("subject", ""), form.get("body", ""))
    return "InMail sent."


def _note(sb: Sandbox, viewer: Record | None, member: Record, form: dict[str, str]) -> str:
    seat = _seat_of(sb, viewer, form.get("seat", ""))
    recruiter.write_note(
        sb, seat, member["id"], form.get("note", ""), form.get("visibility", "PRIVATE")
    )
    return "Note saved."


def _note_delete(sb: Sandbox, viewer: Record | None, member: Record, form: dict[str, str]) -> str:
    note = sb.storage.get("prospect_note", form.get("id", ""))
    if note is None:
        raise recruiter.RecruiterError("Unknown note")
    _seat_of(sb, viewer, note["owner"])
    recruiter.delete_note(sb, note["id"])
    return "Note deleted."


def _share(sb: Sandbox, viewer: Record | None, member: Record, form: dict[str, str]) -> str:
    recruiter.accept_share(
        sb, member["id"], form.get("conversation", ""), form.get("share_email") == "1"
    )
    return f"{member['firstName']} shared their profile with the recruiter."
