"""What the sandbox knows out of the box: the partner application, one organisation, two Recruiter
contracts, a member directory and seats. Names match the product's demo data (Nordlys
Technologies)."""

from __future__ import annotations

from linkedin.sandbox.storage import Storage

PARTNER_CLIENT_ID = "attract-partner"
PARTNER_CLIENT_SECRET = "attract-partner-secret"  # noqa: S105 - the sandbox's well-known demo secret
MEMBER_PASSWORD = "linkedin"  # noqa: S105 - every sandbox member signs in with it

ORGANIZATION_ID = 5551234
ORGANIZATION = f"urn:li:organization:{ORGANIZATION_ID}"
CONTRACT_TA = "urn:li:contract:8800101"
CONTRACT_CAMPUS = "urn:li:contract:8800102"

CONTRACTS = (
    (CONTRACT_TA, "Nordlys Technologies - Talent Acquisition"),
    (CONTRACT_CAMPUS, "Nordlys Technologies - Campus Hiring"),
)

# (person id, first, last, email, headline, location, company, title, phone)
MEMBERS = (
    (
        "aSolbrg01",
        "Astrid",
        "Solberg",
        "astrid.solberg@nordlys.example",
        "Head of Talent",
        "Oslo, Norway",
        "Nordlys Technologies",
        "Head of Talent",
        "+47 400 00 001",
    ),
    (
        "iHaugen02",
        "Ingrid",
        "Haugen",
        "ingrid.haugen@nordlys.example",
        "Technical Recruiter",
        "Oslo, Norway",
        "Nordlys Technologies",
        "Technical Recruiter",
        "+47 400 00 002",
    ),
    (
        "eBakker03",
        "Emma",
        "Bakker",
        "emma.bakker@nordlys.example",
        "Recruiter",
        "Amsterdam, Netherlands",
        "Nordlys Technologies",
        "Recruiter",
        "+31 6 0000 0003",
    ),
    (
        "lEriksn04",
        "Lars",
        "Eriksen",
        "lars.eriksen@nordlys.example",
        "Engineering Manager",
        "Bergen, Norway",
        "Nordlys Technologies",
        "Engineering Manager",
        "+47 400 00 004",
    ),
    (
        "kNakamu05",
        "Kenji",
        "Nakamura",
        "kenji.nakamura@mail.example",
        "Senior Backend Engineer",
        "Copenhagen, Denmark",
        "Fjord Systems",
        "Senior Backend Engineer",
        "+45 20 00 00 05",
    ),
    (
        "aOkafor06",
        "Amara",
        "Okafor",
        "amara.okafor@mail.example",
        "Product Designer",
        "London, United Kingdom",
        "Brightline",
        "Product Designer",
        "+44 7700 900006",
    ),
    (
        "mGarcia07",
        "María José",
        "García",
        "mariajose.garcia@mail.example",
        "Data Scientist",
        "Madrid, Spain",
        "Datalia",
        "Data Scientist",
        "+34 600 000 007",
    ),
    (
        "oLindqv08",
        "Oskar",
        "Lindqvist",
        "oskar.lindqvist@mail.example",
        "DevOps Engineer",
        "Stockholm, Sweden",
        "Polar Cloud",
        "Site Reliability Engineer",
        "+46 70 000 00 08",
    ),
    (
        "zMuellr09",
        "Zoë",
        "Müller",
        "zoe.mueller@mail.example",
        "Frontend Developer",
        "Berlin, Germany",
        "Webwerk",
        "Frontend Developer",
        "+49 151 0000009",
    ),
    (
        "pNowak010",
        "Piotr",
        "Nowak",
        "piotr.nowak@mail.example",
        "QA Engineer",
        "Kraków, Poland",
        "Testify",
        "QA Lead",
        "+48 500 000 010",
    ),
    (
        "sDubois11",
        "Sophie",
        "Dubois",
        "sophie.dubois@mail.example",
        "Engineering Student",
        "Lyon, France",
        "INSA Lyon",
        "Student",
        "+33 6 00 00 00 11",
    ),
    (
        "hJensen12",
        "Henrik",
        "Jensen",
        "henrik.jensen@mail.example",
        "Backend Engineer",
        "Aarhus, Denmark",
        "Fjord Systems",
        "Backend Engineer",
        "+45 20 00 00 12",
    ),
)

# (seat id, contract, holder person id, role)
SEATS = (
    (900001, CONTRACT_TA, "aSolbrg01", "ADMIN"),
    (900002, CONTRACT_CAMPUS, "aSolbrg01", "ADMIN"),
    (900003, CONTRACT_TA, "iHaugen02", "RECRUITER"),
    (900004, CONTRACT_TA, "eBakker03", "RECRUITER"),
    (900005, CONTRACT_CAMPUS, "lEriksn04", "HIRING_MANAGER"),
)


def seed(storage: Storage, now_ms: int) -> None:
    """Write the out-of-the-box records into an empty store."""
    storage.put(
        "application",
        PARTNER_CLIENT_ID,
        {
            "key": "urn:li:developerApplication:1000",
            "clientId": PARTNER_CLIENT_ID,
            "clientSecrets": [PARTNER_CLIENT_SECRET],
            "parent": None,
            "name": "Attract (partner application)",
            "description": "The ATS partner's parent application",
            "uniqueForeignId": None,
            "oauth2AuthorizedCallbackUrls": [],
            "validJsSdkDomains": [],
            "authorizedContexts": [],
            "createdAt": now_ms,
        },
    )
    storage.put(
        "organization",
        ORGANIZATION,
        {"urn": ORGANIZATION, "id": ORGANIZATION_ID, "name": "Nordlys Technologies"},
    )
    for urn, name in CONTRACTS:
        contract_id = int(urn.rsplit(":", 1)[1])
        storage.put(
            "contract",
            urn,
            {"urn": urn, "id": contract_id, "name": name, "organization": ORGANIZATION},
        )
    for pid, first, last, email, headline, location, company, title, phone in MEMBERS:
        storage.put(
            "member",
            pid,
            {
                "id": pid,
                "urn": f"urn:li:person:{pid}",
                "firstName": first,
                "lastName": last,
                "email": email,
                "headline": headline,
                "location": location,
                "currentCompanyName": company,
                "currentJobTitle": title,
                "phone": phone,
                "publicProfileUrl": f"https://www.linkedin.com/in/{pid.lower()}",
            },
        )
    for seat_id, contract, holder, role in SEATS:
        storage.put(
            "seat",
            str(seat_id),
            {
                "id": seat_id,
                "urn": f"urn:li:seat:{seat_id}",
                "contract": contract,
                "seatHolder": f"urn:li:person:{holder}",
                "active": True,
                "role": role,
            },
        )


def conversation_events(
    storage: Storage, *, count: int, seats: list[dict], start_ms: int, end_ms: int, seed: int = 1
) -> int:
    """Bulk InMail history for load tests: `count` events spread evenly over [start_ms, end_ms)
    and over the given seats, with the directory's members as the other side (SENT and RECEIVED
    alike, two events per conversation)."""
    import random

    rng = random.Random(seed)
    members = [f"urn:li:person:{m[0]}" for m in MEMBERS]
    step = max(1, (end_ms - start_ms) // max(1, count))
    with storage.transaction():
        for i in range(count):
            seat = seats[i % len(seats)]
            member = members[rng.randrange(len(members))]
            sent = i % 2 == 0
            event_id = f"bulk{seed}-{i}"
            storage.put(
                "conversation_event",
                event_id,
                {
                    "id": event_id,
                    "conversation": f"urn:li:conversation:bulk{seed}-{i // 2}",
                    "viewer": seat["urn"],
                    "contract": seat["contract"],
                    "sender": seat["seatHolder"] if sent else member,
                    "recipients": [member if sent else seat["seatHolder"]],
                    "direction": "SENT" if sent else "RECEIVED",
                    "subject": f"Opportunity {i // 2}",
                    "body": "Hello, would you be open to a conversation about a role with us?",
                    "occurredAt": min(end_ms - 1, start_ms + i * step),
                },
            )
    return count
