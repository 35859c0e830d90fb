"""Job enumerations; codes follow LinkedIn's reference tables where the feed uses them."""

from django.db import models


class JobStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PENDING_APPROVAL = "pending_approval", "Pending approval"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"
    ACTIVE = "active", "Active"
    CLOSED = "closed", "Closed"


class CloseReason(models.TextChoices):
    CANCELLED = "cancelled", "Cancelled"
    FILLED = "filled", "Position filled"


class WorkplaceType(models.TextChoices):
    ON_SITE = "on_site", "On-site"
    HYBRID = "hybrid", "Hybrid"
    REMOTE = "remote", "Remote"


class EmploymentType(models.TextChoices):
    FULL_TIME = "full_time", "Full-time"
    PART_TIME = "part_time", "Part-time"
    CONTRACT = "contract", "Contract"
    TEMPORARY = "temporary", "Temporary"
    INTERNSHIP = "internship", "Internship"
    VOLUNTEER = "volunteer", "Volunteer"


class Seniority(models.TextChoices):
    INTERNSHIP = "internship", "Internship"
    ENTRY = "entry", "Entry level"
    ASSOCIATE = "associate", "Associate"
    MID_SENIOR = "mid_senior", "Mid-senior level"
    DIRECTOR = "director", "Director"
    EXECUTIVE = "executive", "Executive"


class SalaryPeriod(models.TextChoices):
    YEARLY = "yearly", "per year"
    MONTHLY = "monthly", "per month"
    WEEKLY = "weekly", "per week"
    DAILY = "daily", "per day"
    HOURLY = "hourly", "per hour"


class JobFunction(models.TextChoices):
    """LinkedIn job function codes (reference table "Job Function Codes")."""

    ADM = "adm", "Administrative"
    ANA = "ana", "Analyst"
    ART = "art", "Art/Creative"
    BD = "bd", "Business Development"
    CNSL = "cnsl", "Consulting"
    CUST = "cust", "Customer Service"
    DIST = "dist", "Distribution"
    DSGN = "dsgn", "Design"
    EDU = "edu", "Education"
    ENG = "eng", "Engineering"
    FIN = "fin", "Finance"
    GENB = "genb", "General Business"
    HCPR = "hcpr", "Health Care Provider"
    HR = "hr", "Human Resources"
    IT = "it", "Information Technology"
    LGL = "lgl", "Legal"
    MGMT = "mgmt", "Management"
    MNFC = "mnfc", "Manufacturing"
    MRKT = "mrkt", "Marketing"
    OTHR = "othr", "Other"
    PR = "pr", "Public Relations"
    PRCH = "prch", "Purchasing"
    PRDM = "prdm", "Product Management"
    PRJM = "prjm", "Project Management"
    PROD = "prod", "Production"
    QA = "qa", "Quality Assurance"
    RSCH = "rsch", "Research"
    SALE = "sale", "Sales"
    SCI = "sci", "Science"
    STRA = "stra", "Strategy/Planning"
    SUPL = "supl", "Supply Chain"
    TRNG = "trng", "Training"
    WRT = "wrt", "Writing/Editing"


class Industry(models.IntegerChoices):
    """A subset of LinkedIn industry codes (reference table "Industry Codes")."""

    ACCOUNTING = 47, "Accounting"
    AUTOMOTIVE = 53, "Automotive"
    BANKING = 41, "Banking"
    BIOTECHNOLOGY = 12, "Biotechnology"
    COMPUTER_SOFTWARE = 4, "Software Development"
    CONSTRUCTION = 48, "Construction"
    EDUCATION = 69, "Education"
    FINANCIAL_SERVICES = 43, "Financial Services"
    HOSPITALS = 14, "Hospitals and Health Care"
    HUMAN_RESOURCES = 137, "Human Resources Services"
    INTERNET = 6, "Technology, Information and Internet"
    IT_SERVICES = 96, "IT Services and IT Consulting"
    LAW_PRACTICE = 9, "Law Practice"
    LOGISTICS = 116, "Transportation, Logistics, Supply Chain and Storage"
    MANAGEMENT_CONSULTING = 11, "Business Consulting and Services"
    MARKETING = 80, "Advertising Services"
    PHARMACEUTICALS = 15, "Pharmaceutical Manufacturing"
    RENEWABLES = 144, "Renewable Energy Power Generation"
    RETAIL = 27, "Retail"
    STAFFING = 104, "Staffing and Recruiting"
    TELECOMMUNICATIONS = 8, "Telecommunications"


class StageKind(models.TextChoices):
    PROSPECT = "prospect", "Prospect"
    APPLICATION = "application", "Application"
    SCREENING = "screening", "Screening"
    ASSESSMENT = "assessment", "Assessment"
    INTERVIEW = "interview", "Interview"
    OFFER = "offer", "Offer"
    HIRED = "hired", "Hired"


class TeamRole(models.TextChoices):
    RECRUITER = "recruiter", "Recruiter"
    HIRING_MANAGER = "hiring_manager", "Hiring manager"
    INTERVIEWER = "interviewer", "Interviewer"


class ApprovalDecision(models.TextChoices):
    PENDING = "pending", "Waiting"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"
