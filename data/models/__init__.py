"""All tables of the system of record. Import from here so the metadata is complete."""

from data.models.admin import SmsTemplate, StoredStrategy  # noqa: F401
from data.models.analytics import CallQa, CaseAnalytics
from data.models.audit import AuditEntry, AuditHead, ImportRun
from data.models.base import Base, UTCDateTime
from data.models.cases import (
    CASE_STATUSES,
    Campaign,
    Case,
    CaseNote,
    ContactAttempt,
    PaymentPlan,
    Promise,
    SmsMessage,
)
from data.models.debtors import Debtor, DebtorPhone
from data.models.loans import PRODUCTS, BalanceHistory, Loan, Payment
from data.models.people import AGENT_STATUSES, ROLES, Agent, User
from data.models.scoring import ModelVersion

__all__ = [
    "AGENT_STATUSES",
    "CASE_STATUSES",
    "PRODUCTS",
    "ROLES",
    "Agent",
    "AuditEntry",
    "AuditHead",
    "BalanceHistory",
    "Base",
    "CallQa",
    "Campaign",
    "Case",
    "CaseAnalytics",
    "CaseNote",
    "ContactAttempt",
    "Debtor",
    "DebtorPhone",
    "ImportRun",
    "Loan",
    "ModelVersion",
    "Payment",
    "PaymentPlan",
    "Promise",
    "SmsMessage",
    "UTCDateTime",
    "User",
]
