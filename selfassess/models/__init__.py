"""The database tables, one module per area; import models from here."""

from selfassess.models.assessments import (
    Action,
    AgreedRating,
    Assessment,
    AssessmentFramework,
    Participant,
    Rating,
    WorkshopAttendee,
    WorkshopSession,
    WorkshopVote,
)
from selfassess.models.audit import AuditEvent
from selfassess.models.frameworks import FrameworkRelease
from selfassess.models.mail import MailPreference, OutboxMessage, WorkshopSchedule
from selfassess.models.national import (
    Collection,
    CollectionFramework,
    CollectionPartnership,
    Return,
    ReturnAnswer,
    SurveyAnswer,
)
from selfassess.models.paper import PaperEntry, PaperForm, PaperScan, PaperScanPage
from selfassess.models.people import ApiToken, Invitation, Membership, Partnership, User

__all__ = [
    "Action",
    "AgreedRating",
    "ApiToken",
    "Assessment",
    "AssessmentFramework",
    "AuditEvent",
    "Collection",
    "CollectionFramework",
    "CollectionPartnership",
    "FrameworkRelease",
    "Invitation",
    "MailPreference",
    "Membership",
    "OutboxMessage",
    "Participant",
    "PaperEntry",
    "PaperForm",
    "PaperScan",
    "PaperScanPage",
    "Partnership",
    "Rating",
    "Return",
    "ReturnAnswer",
    "SurveyAnswer",
    "User",
    "WorkshopAttendee",
    "WorkshopSchedule",
    "WorkshopSession",
    "WorkshopVote",
]
