"""Static material of the demo organisation: people, jobs and the texts they are written from."""

from dataclasses import dataclass

from attract.models import SecurityRole as R
from jobs.choices import EmploymentType as E
from jobs.choices import Industry as I
from jobs.choices import JobFunction as F
from jobs.choices import Seniority as S
from jobs.choices import WorkplaceType as W

COMPANY_NAME = "Nordlys Technologies"
PUBLIC_SITE_URL = "http://127.0.0.1:8000"
DEMO_DOMAIN = "nordlys.example"
ENGINEERING_TEMPLATE = "Engineering with approval"


@dataclass(frozen=True)
class DemoUser:
    key: str
    username: str
    first_name: str
    last_name: str
    roles: tuple[str, ...]


USERS = (
    DemoUser("admin", "admin", "Astrid", "Solberg", (R.ADMINISTRATOR,)),
    DemoUser("recruiter", "recruiter", "Ingrid", "Haugen", (R.RECRUITER,)),
    DemoUser("manager", "manager", "Lars", "Eriksen", (R.HIRING_MANAGER,)),
    DemoUser("interviewer", "interviewer", "Sofie", "Lindqvist", (R.INTERVIEWER,)),
    DemoUser("readonly", "readonly", "Pieter", "de Vries", (R.READ_ONLY,)),
    DemoUser("recruiter2", "emma.bakker", "Emma", "Bakker", (R.RECRUITER,)),
    DemoUser("manager2", "julien.moreau", "Julien", "Moreau", (R.HIRING_MANAGER, R.INTERVIEWER)),
)
LOGINS = ("admin", "recruiter", "manager", "interviewer", "readonly")


@dataclass(frozen=True)
class JobSpec:
    title: str
    family: str  # engineering, product, commercial, operations: picks the texts
    function: str
    focus: str
    city: str
    country: str
    industry: int
    region: str = ""
    postal_code: str = ""
    workplace: str = W.HYBRID
    employment: str = E.FULL_TIME
    seniority: str = S.MID_SENIOR
    openings: int = 1
    # (min, max, currency, period, published)
    salary: tuple[int, int, str, str, bool] | None = None
    plan: str = "active"  # draft, pending, approved, rejected, active, cancelled, filled
    engineering_template: bool = False
    creator: str = "recruiter"
    manager: str = "manager"
    internal: bool = False
    expires_in: int | None = 45
    popularity: float = 1.0
    delegate: bool = False


# One job per entry: title, family, function, focus, city, country, industry, then what differs
# from the defaults. Kept as a table on purpose.
# fmt: off
JOBS = (
    JobSpec(
        "Senior Backend Engineer (Python)", "engineering", F.ENG,
        "You will own the forecasting API that grid operators in six countries call every "
        "five minutes, written in Python and Django on PostgreSQL.",
        "Oslo", "NO", I.RENEWABLES, postal_code="0150", openings=2,
        salary=(750_000, 950_000, "NOK", "yearly", True), engineering_template=True,
        popularity=1.6, delegate=True,
    ),
    JobSpec(
        "Frontend Engineer (React)", "engineering", F.ENG,
        "You will build the operator console, a React and TypeScript application used in "
        "control rooms around the clock.",
        "Stockholm", "SE", I.COMPUTER_SOFTWARE, postal_code="111 20", seniority=S.ASSOCIATE,
        salary=(52_000, 64_000, "SEK", "monthly", True), engineering_template=True,
        manager="manager2", popularity=1.4,
    ),
    JobSpec(
        "Site Reliability Engineer", "engineering", F.ENG,
        "You will keep a multi-region Kubernetes platform healthy and make on-call boring, "
        "with Terraform, Prometheus and a healthy dose of automation.",
        "Amsterdam", "NL", I.IT_SERVICES, postal_code="1012 AB", workplace=W.REMOTE,
        salary=(70_000, 90_000, "EUR", "yearly", False), engineering_template=True,
    ),
    JobSpec(
        "Data Engineer", "engineering", F.ENG,
        "You will design the pipelines that turn weather models and meter readings into clean, "
        "trustworthy data for our forecasting models.",
        "Trondheim", "NO", I.RENEWABLES, postal_code="7011", workplace=W.ON_SITE,
        creator="recruiter2",
    ),
    JobSpec(
        "Machine Learning Engineer", "engineering", F.ENG,
        "You will take forecasting models from notebooks to production and measure how they "
        "behave when the wind does something nobody expected.",
        "London", "GB", I.INTERNET, postal_code="EC2A 4NE",
        salary=(85_000, 110_000, "GBP", "yearly", True), engineering_template=True,
        manager="manager2", popularity=1.3,
    ),
    JobSpec(
        "Product Manager, Field Service", "product", F.PRDM,
        "You will lead the mobile app that technicians use to inspect turbines and solar parks, "
        "working closely with two engineering squads and our design team.",
        "Oslo", "NO", I.COMPUTER_SOFTWARE, postal_code="0150", creator="manager",
    ),
    JobSpec(
        "Product Designer", "product", F.DSGN,
        "You will shape how operators read complex forecasts at a glance, from research and "
        "prototypes to the pixels in our design system.",
        "Amsterdam", "NL", I.COMPUTER_SOFTWARE, postal_code="1012 AB", seniority=S.ASSOCIATE,
        salary=(55_000, 70_000, "EUR", "yearly", True), creator="recruiter2", manager="manager2",
    ),
    JobSpec(
        "Account Executive, Nordics", "commercial", F.SALE,
        "You will win new utility and energy-trading customers across Norway, Sweden, Denmark "
        "and Finland, from first meeting to signed contract.",
        "Stockholm", "SE", I.RENEWABLES, postal_code="111 20", openings=3, popularity=1.2,
    ),
    JobSpec(
        "Customer Success Manager", "commercial", F.CUST,
        "You will be the trusted adviser of our largest hydropower customers, helping them get "
        "measurable value from the platform every quarter.",
        "Bergen", "NO", I.RENEWABLES, postal_code="5003", workplace=W.ON_SITE,
        seniority=S.ASSOCIATE, creator="recruiter2",
    ),
    JobSpec(
        "Sales Development Representative (French market)", "commercial", F.SALE,
        "You will open conversations with solar and wind developers across France and book "
        "qualified meetings for our account executives.",
        "Paris", "FR", I.RENEWABLES, postal_code="75002", workplace=W.ON_SITE,
        seniority=S.ENTRY, openings=2, salary=(38_000, 45_000, "EUR", "yearly", True),
        manager="manager2", popularity=1.3,
    ),
    JobSpec(
        "HR Business Partner", "operations", F.HR,
        "You will partner with engineering and product leaders on organisation design, "
        "performance and growth as we pass 700 people.",
        "Oslo", "NO", I.HUMAN_RESOURCES, postal_code="0150", internal=True, popularity=0.6,
    ),
    JobSpec(
        "Financial Controller", "operations", F.FIN,
        "You will own month-end close for our Nordic entities and build the reporting that our "
        "board and investors rely on.",
        "Oslo", "NO", I.FINANCIAL_SERVICES, postal_code="0150", workplace=W.ON_SITE,
        creator="manager", popularity=0.7,
    ),
    JobSpec(
        "Solutions Consultant", "commercial", F.CNSL,
        "You will run technical discovery and tailored demos for North American utilities, "
        "and turn what you learn into proposals that win.",
        "San Francisco", "US", I.MANAGEMENT_CONSULTING, region="CA", postal_code="94105",
        salary=(140_000, 175_000, "USD", "yearly", True), manager="manager2",
    ),
    JobSpec(
        "Marketing Manager, DACH", "commercial", F.MRKT,
        "You will launch Nordlys in Germany, Austria and Switzerland: positioning, campaigns, "
        "events and the pipeline they create.",
        "Berlin", "DE", I.MARKETING, postal_code="10115", expires_in=30,
    ),
    JobSpec(
        "Summer Intern, Software Engineering", "engineering", F.ENG,
        "You will spend ten weeks in a product team shipping real features, with a mentor, "
        "code review and a demo day at the end.",
        "Trondheim", "NO", I.COMPUTER_SOFTWARE, postal_code="7011", workplace=W.ON_SITE,
        employment=E.INTERNSHIP, seniority=S.INTERNSHIP, openings=4,
        salary=(240, 240, "NOK", "hourly", True), expires_in=14, popularity=1.8,
    ),
    JobSpec(
        "Technical Recruiter", "operations", F.HR,
        "You will hire the engineers who build our platform, partnering with hiring managers "
        "from kick-off to signed offer.",
        "Oslo", "NO", I.STAFFING, postal_code="0150", plan="filled", internal=True,
        expires_in=-20, creator="recruiter2",
    ),
    JobSpec(
        "QA Engineer", "engineering", F.QA,
        "You will build the automated test suites that let us release the operator console "
        "several times a day without fear.",
        "Stockholm", "SE", I.COMPUTER_SOFTWARE, postal_code="111 20", plan="filled",
        expires_in=-10, manager="manager2",
    ),
    JobSpec(
        "Office Manager", "operations", F.ADM,
        "You will make our London office a place people want to come to, from facilities and "
        "suppliers to onboarding days and team events.",
        "London", "GB", I.RENEWABLES, postal_code="EC2A 4NE", workplace=W.ON_SITE,
        employment=E.PART_TIME, seniority=S.ASSOCIATE, plan="filled", expires_in=-30,
        salary=(28_000, 32_000, "GBP", "yearly", True),
    ),
    JobSpec(
        "Head of Growth", "commercial", F.MRKT,
        "You will build and lead a growth team across product-led and sales-led motions.",
        "Amsterdam", "NL", I.INTERNET, postal_code="1012 AB", seniority=S.DIRECTOR,
        plan="cancelled", expires_in=-5, manager="manager2",
    ),
    JobSpec(
        "Embedded Software Engineer", "engineering", F.ENG,
        "You will write the firmware of our edge gateways that collect data from inverters and "
        "turbine controllers on site.",
        "Lyon", "FR", I.RENEWABLES, postal_code="69002", workplace=W.ON_SITE,
        employment=E.CONTRACT, plan="cancelled", expires_in=-15,
    ),
    JobSpec(
        "Engineering Manager, Platform", "engineering", F.ENG,
        "You will lead the eight engineers of the platform team and grow them as people and "
        "as a team.",
        "Oslo", "NO", I.COMPUTER_SOFTWARE, postal_code="0150", seniority=S.DIRECTOR,
        plan="draft", engineering_template=True, expires_in=None,
    ),
    JobSpec(
        "Legal Counsel", "operations", F.LGL,
        "You will negotiate customer and supplier contracts and advise on data protection "
        "across our European entities.",
        "Stockholm", "SE", I.LAW_PRACTICE, postal_code="111 20", plan="draft",
        creator="recruiter2", expires_in=None,
    ),
    JobSpec(
        "Staff Security Engineer", "engineering", F.ENG,
        "You will set the security direction for a platform that critical infrastructure "
        "depends on, from threat models to incident response.",
        "Amsterdam", "NL", I.IT_SERVICES, postal_code="1012 AB", workplace=W.REMOTE,
        plan="pending", engineering_template=True,
        salary=(95_000, 125_000, "EUR", "yearly", False),
    ),
    JobSpec(
        "Mobile Engineer (iOS)", "engineering", F.ENG,
        "You will build the field-service app in Swift and SwiftUI, used offline on wind farms "
        "far from any mobile signal.",
        "Bergen", "NO", I.COMPUTER_SOFTWARE, postal_code="5003", plan="pending",
        engineering_template=True, manager="manager2",
    ),
    JobSpec(
        "Platform Engineer (Kubernetes)", "engineering", F.ENG,
        "You will build the internal developer platform that our forty engineers deploy with.",
        "Oslo", "NO", I.COMPUTER_SOFTWARE, postal_code="0150", plan="approved",
        engineering_template=True,
    ),
    JobSpec(
        "VP of Engineering", "engineering", F.ENG,
        "You will lead engineering through our next stage of growth, reporting to the CEO.",
        "Oslo", "NO", I.RENEWABLES, postal_code="0150", seniority=S.EXECUTIVE,
        plan="rejected", engineering_template=True,
    ),
)
# fmt: on

APPROVAL_REJECTION = "The 2026 budget has no headcount for this yet; let us revisit in Q3."
CANCEL_COMMENTS = {
    "Head of Growth": "Role merged into the marketing leadership plan for next year.",
    "Embedded Software Engineer": "Gateway firmware moves to our hardware partner.",
}
FILLED_COMMENT = "Offer accepted: welcome aboard!"

INTRO = (
    "<p>Nordlys Technologies builds the software that keeps renewable power flowing: "
    "forecasting, grid balancing and field-service tools used by more than 120 energy "
    "companies across Europe and North America. We are 650 people in Oslo, Trondheim, Bergen, "
    "Stockholm, Amsterdam, Paris, Berlin, London and San Francisco.</p>"
)

ROLE = {
    "engineering": "<p>As our {title}, you join an autonomous team that owns its services from "
    "design to production. {focus} We value simple designs, small pull requests and "
    "blameless post-mortems.</p>",
    "product": "<p>As our {title}, you work where customers, engineering and the business "
    "meet. {focus} You will spend real time with the people who use our tools every day.</p>",
    "commercial": "<p>As our {title}, you help energy companies do more with less carbon. "
    "{focus} You will have a clear territory, a supportive team and a product customers "
    "already love.</p>",
    "operations": "<p>As our {title}, you make the company around our products work well. "
    "{focus} You will report to our leadership team and have real influence from day one.</p>",
}

DO = {
    "engineering": (
        "Design, build and run services that process millions of readings an hour",
        "Review code and pair with colleagues across three countries",
        "Improve observability, tests and deployment pipelines",
        "Take part in a humane on-call rotation (one week in six, paid)",
        "Turn fuzzy customer problems into small, shippable increments",
        "Write design notes and share what you learn at our engineering guild",
        "Mentor newer engineers and help us hire the next ones",
    ),
    "product": (
        "Run discovery interviews with operators, traders and technicians",
        "Turn research into clear problem statements and prototypes",
        "Prioritise a roadmap together with engineering and sales",
        "Define and track the metrics that tell us whether a feature works",
        "Present your work at our monthly product review",
        "Keep our design system consistent and accessible",
    ),
    "commercial": (
        "Build and manage a healthy pipeline in your territory",
        "Run discovery calls, demos and commercial negotiations",
        "Work with solutions consultants on tailored proposals",
        "Represent Nordlys at industry events and customer workshops",
        "Forecast accurately and keep our CRM up to date",
        "Feed what you hear from customers back to product",
    ),
    "operations": (
        "Own processes end to end and keep improving them",
        "Advise managers and leaders with clear, practical recommendations",
        "Build reporting that helps people make better decisions",
        "Work with our external partners, auditors and advisers",
        "Make sure we stay compliant as we grow into new countries",
        "Take on projects that make Nordlys a better place to work",
    ),
}

BRING = {
    "engineering": (
        "Solid experience with Python, Go, TypeScript or a similar language",
        "A habit of writing tests and readable code",
        "Experience running software in production on a cloud platform",
        "Good knowledge of SQL and relational databases",
        "Curiosity about energy systems (no prior experience needed)",
        "Fluent English; a Scandinavian language is a plus",
    ),
    "product": (
        "A portfolio or track record of products you helped ship",
        "Comfort with qualitative and quantitative research",
        "Clear written and spoken communication in English",
        "Experience working closely with engineers",
        "An eye for detail and for accessibility",
    ),
    "commercial": (
        "A track record of meeting or beating targets in B2B software",
        "Confidence with senior stakeholders in technical organisations",
        "Structured ways of working and a well-kept pipeline",
        "Fluency in English and the main language of your market",
        "Interest in energy, utilities or climate technology",
    ),
    "operations": (
        "Relevant education and several years in a similar role",
        "A pragmatic, service-minded attitude",
        "Excellent written English; Norwegian or Swedish is a plus",
        "Comfort with spreadsheets, data and modern SaaS tools",
        "Discretion and sound judgement",
    ),
}

BENEFITS = {
    "NO": ("Pension of 7% from the first krone", "Five weeks of paid holiday"),
    "SE": ("ITP pension and a wellness allowance of SEK 5,000", "30 days of paid holiday"),
    "NL": ("Pension plan and NS Business Card", "Help with the 30% ruling when relocating"),
    "FR": ("Tickets restaurant and a generous mutuelle", "RTT days on top of paid holiday"),
    "GB": ("Private medical insurance", "25 days of holiday plus bank holidays"),
    "US": ("Medical, dental and vision cover", "401(k) with a 4% match"),
    "DE": ("Deutschlandticket paid by us", "30 days of paid holiday"),
}
COMMON_BENEFITS = (
    "A personal learning budget of EUR 1,500 a year",
    "Parental leave beyond the statutory minimum",
    "Employee share options",
)
WORKPLACE_TEXT = {
    W.ON_SITE: "<p>This role is based in our {city} office, with flexible hours.</p>",
    W.HYBRID: "<p>We work hybrid: two or three days a week in our {city} office, the rest "
    "wherever you focus best.</p>",
    W.REMOTE: "<p>This is a remote role within two hours of CET; you meet the team in {city} "
    "for a week every quarter.</p>",
}
CLOSING = (
    "<p>Apply with your CV; a cover letter is optional. We reply to everyone within two weeks. "
    "Nordlys welcomes applicants of every background, gender, age and ability.</p>"
)

CITIES = {
    "NO": ("Oslo", "Bergen", "Trondheim", "Stavanger", "Tromsø", "Drammen"),
    "SE": ("Stockholm", "Göteborg", "Malmö", "Uppsala", "Linköping"),
    "NL": ("Amsterdam", "Rotterdam", "Utrecht", "Eindhoven", "Den Haag"),
    "FR": ("Paris", "Lyon", "Toulouse", "Nantes", "Grenoble"),
    "GB": ("London", "Manchester", "Edinburgh", "Bristol", "Leeds"),
    "US": ("San Francisco", "Seattle", "Denver", "Austin", "Boston"),
    "DE": ("Berlin", "Hamburg", "München", "Köln", "Leipzig"),
}
LOCALES = {
    "NO": "no_NO",
    "SE": "sv_SE",
    "NL": "nl_NL",
    "FR": "fr_FR",
    "GB": "en_GB",
    "US": "en_US",
    "DE": "de_DE",
}
COUNTRY_WEIGHTS = {"NO": 30, "SE": 20, "NL": 15, "FR": 10, "GB": 12, "DE": 8, "US": 5}

TITLES = {
    "engineering": (
        "Software Engineer",
        "Senior Software Engineer",
        "Backend Developer",
        "Full-stack Developer",
        "DevOps Engineer",
        "Data Engineer",
        "Test Automation Engineer",
        "Platform Engineer",
        "Frontend Developer",
        "iOS Developer",
        "MSc student, Computer Science",
    ),
    "product": (
        "Product Manager",
        "Product Owner",
        "UX Designer",
        "Product Designer",
        "Business Analyst",
        "Service Designer",
    ),
    "commercial": (
        "Account Manager",
        "Key Account Manager",
        "Sales Executive",
        "Business Developer",
        "Customer Success Manager",
        "Marketing Specialist",
        "Pre-sales Consultant",
    ),
    "operations": (
        "HR Advisor",
        "Talent Acquisition Partner",
        "Accountant",
        "Financial Analyst",
        "Office Coordinator",
        "Executive Assistant",
        "Legal Adviser",
    ),
}
COMPANIES = (
    "Statkraft",
    "Vattenfall",
    "Equinor",
    "Visma",
    "Schibsted",
    "Spotify",
    "Klarna",
    "Adyen",
    "Booking.com",
    "Capgemini",
    "Accenture",
    "Sopra Steria",
    "Ørsted",
    "Siemens Energy",
    "Schneider Electric",
    "Bouvet",
    "Knowit",
    "Netlight",
    "Eneco",
    "Vestas",
    "Octopus Energy",
    "Zalando",
    "N26",
    "Ocado Technology",
    "Kahoot!",
    "Cognite",
    "Tibber",
    "Northvolt",
)
TAGS = {
    "engineering": ("Python", "Kubernetes", "React", "Go", "Machine learning", "Graduate"),
    "product": ("Design systems", "User research", "B2B SaaS"),
    "commercial": ("Energy sector", "Enterprise sales", "French speaker", "German speaker"),
    "operations": ("Finance", "People operations", "Legal"),
}
COMMON_TAGS = ("Relocation", "Silver medallist", "Nordics", "Remote only", "Norwegian speaker")

WITHDRAW_COMMENTS = (
    "Accepted another offer.",
    "Decided to stay after a counter-offer from the current employer.",
    "Relocation does not work for the family right now.",
    "The salary range was below expectations.",
)
EARLY_REASONS = ("Not enough experience", "Skills do not match the role")
LATE_REASONS = (
    "Skills do not match the role",
    "Salary expectations too high",
    "Not available in time",
    "Candidate declined",
    "Did not attend the interview",
)
FILLED_REASON = "Position filled by another candidate"

SCREEN_NOTES = (
    "Phone screen done. {first} wants more ownership than the current role gives; notice "
    "period is three months. Salary expectation within our range.",
    "Good first call. {first} has run production systems at {company} for four years and "
    "asked thoughtful questions about on-call.",
    "{first} is open to hybrid but not to relocating before the summer. Worth a second look.",
    "Short call: strong motivation for climate work, a little light on the core skills. "
    "Suggest the assessment to see for ourselves.",
    "Referred by a colleague who worked with {first} at {company}; very positive reference.",
)
INTERVIEW_NOTES = (
    "Panel agreed {first} was the strongest candidate this week. Next: references.",
    "{first} asked for the offer details in writing before talking to the family.",
    "Onsite went well. Follow up with the team lead about the system design answers.",
    "Reference check with the previous manager: very positive on ownership and mentoring.",
)
PRIVATE_NOTES = (
    "{first} mentioned a competing offer expiring next Friday: keep the process moving.",
    "Compensation expectation is at the top of the band; check with the manager first.",
)
CANDIDATE_NOTES = (
    "Met {first} at the Oslo Python meetup; keen on the forecasting team. Keep warm.",
    "{first} would be a great fit for the next platform role. Ping again in the autumn.",
    "Asked to be contacted only by email, not by phone.",
)
RATINGS = {
    "engineering": ("Communication", "Technical depth", "Problem solving", "Collaboration"),
    "product": ("Communication", "User empathy", "Prioritisation", "Craft"),
    "commercial": ("Communication", "Discovery skills", "Commercial acumen", "Resilience"),
    "operations": ("Communication", "Domain expertise", "Stakeholder management", "Judgement"),
}
STRENGTHS = (
    "Clear, structured answers and good examples from real projects.",
    "Asked excellent questions about our customers and how we measure success.",
    "Strong fundamentals; explained trade-offs without being prompted.",
    "Warm, confident communicator; the panel enjoyed the conversation.",
)
CONCERNS = (
    "Limited experience at our scale; would need support in the first months.",
    "Some answers stayed at a high level when we asked for detail.",
    "Notice period of three months could delay the start.",
    "",
)

POOLS = (
    (
        "Backend engineers — Nordics",
        "Engineers we met and want to keep in touch with.",
        "recruiter",
        ("manager",),
    ),
    (
        "Graduates 2026",
        "Students and new graduates for the 2026 intake.",
        "recruiter2",
        ("recruiter",),
    ),
    (
        "Commercial leaders",
        "Senior sales and marketing people for future openings.",
        "manager2",
        ("recruiter", "recruiter2"),
    ),
)
