"""Load the fictional Riverside demo board. Safe to run again: it changes nothing that already exists."""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand
from django.db import transaction

from casereview.partnership.models import Agency, Board, Committee, CommitteeMembership, RoleGrant, User
from casereview.partnership.roles import Role
from casereview.partnership.setup import PERFORMANCE_TERMS, SCR_TERMS

BOARD_NAME = "Riverside Safeguarding Children Board"
DEMO_PASSWORD = "demo"  # noqa: S105 - fictional demo accounts, only usable without 2FA in demo mode

AGENCIES = [
    ("Children's Social Care", "CSC", Agency.Type.CHILDRENS_SOCIAL_CARE),
    ("Police", "POL", Agency.Type.POLICE),
    ("GP Practice", "GP", Agency.Type.GP),
    ("Health Visiting", "HV", Agency.Type.HEALTH_VISITING),
    ("Midwifery", "MW", Agency.Type.MIDWIFERY),
    ("Emergency Department", "ED", Agency.Type.EMERGENCY_DEPARTMENT),
    ("School", "SCH", Agency.Type.SCHOOL),
    ("Housing", "HSG", Agency.Type.HOUSING),
    ("Probation", "PRB", Agency.Type.PROBATION),
    ("Ambulance Service", "AMB", Agency.Type.AMBULANCE),
]

# (username, first name, last name, job title, agency code or None, roles)
PEOPLE = [
    ("manager", "Morgan", "Demo-Manager", "Board Business Manager", None, [Role.BUSINESS_MANAGER]),
    ("chair", "Charlie", "Demo-Chair", "Independent Chair", None, [Role.INDEPENDENT_CHAIR, Role.EXECUTIVE_MEMBER]),
    ("dcs", "Dee", "Demo-Director", "Director of Children's Services", "CSC", [Role.DCS, Role.EXECUTIVE_MEMBER]),
    ("scr-chair", "Sasha", "Demo-Scrchair", "Chair of the SCR Committee", "POL",
     [Role.SCR_COMMITTEE_CHAIR]),
    ("perf-chair", "Pat", "Demo-Perfchair", "Chair of the Performance Committee", "HV",
     [Role.PERFORMANCE_CHAIR]),
    ("reviewer", "Robin", "Demo-Reviewer", "Independent lead reviewer", None, [Role.LEAD_REVIEWER]),
    ("police-lead", "Parker", "Demo-Policelead", "Detective Inspector, safeguarding lead", "POL",
     [Role.AGENCY_LEAD, Role.PERFORMANCE_MEMBER, Role.SCR_COMMITTEE_MEMBER]),
    ("csc-author", "Casey", "Demo-Author", "Team manager, chronology author", "CSC", [Role.AGENCY_AUTHOR]),
    ("practitioner", "Jamie", "Demo-Practitioner", "Health visitor", "HV", [Role.PRACTITIONER]),
    # A safeguarding lead for every other agency: each receives calls for information and chronology requests.
    ("csc-lead", "Corey", "Demo-Csclead", "Principal social worker, safeguarding lead", "CSC", [Role.AGENCY_LEAD]),
    ("gp-lead", "Gale", "Demo-Gplead", "Named GP for safeguarding", "GP", [Role.AGENCY_LEAD]),
    ("hv-lead", "Harper", "Demo-Hvlead", "Safeguarding lead, health visiting", "HV", [Role.AGENCY_LEAD]),
    ("midwifery-lead", "Marley", "Demo-Mwlead", "Named midwife for safeguarding", "MW", [Role.AGENCY_LEAD]),
    ("ed-lead", "Emery", "Demo-Edlead", "Named nurse, emergency department", "ED", [Role.AGENCY_LEAD]),
    ("school-lead", "Sidney", "Demo-Schoollead", "Designated safeguarding lead, school", "SCH",
     [Role.AGENCY_LEAD]),
    ("housing-lead", "Hollis", "Demo-Housinglead", "Safeguarding lead, housing", "HSG", [Role.AGENCY_LEAD]),
    ("probation-lead", "Peyton", "Demo-Probationlead", "Safeguarding lead, probation", "PRB", [Role.AGENCY_LEAD]),
    ("ambulance-lead", "Avery", "Demo-Ambulancelead", "Safeguarding lead, ambulance service", "AMB",
     [Role.AGENCY_LEAD]),
]

COMMITTEES = [
    # (kind, name, frequency in days, chair needed, agency representatives, terms of reference)
    (Committee.Kind.SCR, "Serious Case Review Committee", 28, True, 2, SCR_TERMS),
    (Committee.Kind.PERFORMANCE, "Performance Committee", 42, True, 3, PERFORMANCE_TERMS),
    (Committee.Kind.LEARNING_DEVELOPMENT, "Learning and Development Committee", 56, True, 2,
     "Receives learning summaries and turns learning into training and development."),
    (Committee.Kind.POLICY, "Policy, Procedures and Practice Committee", 56, True, 2,
     "Reviews policy and procedure in the light of learning from reviews."),
    (Committee.Kind.EXECUTIVE, "Executive", 91, True, 3,
     "Receives summary reports of reviews and action plans with outstanding items."),
]

MEMBERSHIPS = [
    ("Serious Case Review Committee", "scr-chair", CommitteeMembership.Position.CHAIR, "POL"),
    ("Serious Case Review Committee", "police-lead", CommitteeMembership.Position.MEMBER, "POL"),
    ("Serious Case Review Committee", "dcs", CommitteeMembership.Position.MEMBER, "CSC"),
    ("Serious Case Review Committee", "perf-chair", CommitteeMembership.Position.MEMBER, "HV"),
    ("Serious Case Review Committee", "manager", CommitteeMembership.Position.ADVISER, None),
    ("Performance Committee", "perf-chair", CommitteeMembership.Position.CHAIR, "HV"),
    ("Performance Committee", "police-lead", CommitteeMembership.Position.MEMBER, "POL"),
    ("Performance Committee", "dcs", CommitteeMembership.Position.MEMBER, "CSC"),
    ("Performance Committee", "manager", CommitteeMembership.Position.ADVISER, None),
    ("Executive", "chair", CommitteeMembership.Position.CHAIR, None),
    ("Executive", "dcs", CommitteeMembership.Position.MEMBER, "CSC"),
]


class Command(BaseCommand):
    help = "Load the fictional Riverside demo board, its agencies, committees, people and demo cases."

    @transaction.atomic
    def handle(self, *args, **options):
        board, _ = Board.objects.get_or_create(
            slug="riverside", defaults={"name": BOARD_NAME, "region": "Demo region (fictional)"}
        )
        agencies = {}
        for name, code, kind in AGENCIES:
            agencies[code], _ = Agency.objects.get_or_create(
                board=board, short_code=code, defaults={"name": name, "type": kind}
            )
        people = {}
        demo_hash = make_password(DEMO_PASSWORD)  # hashed once: the same fictional password for every account
        for username, first, last, title, code, roles in PEOPLE:
            user = User.objects.filter(username=username).first()
            if user is None:
                user = User(username=username, first_name=first, last_name=last, job_title=title,
                            email=f"{username}@riverside.example", board=board,
                            agency=agencies.get(code), is_demo_account=True)
                user.password = demo_hash
                user.save()
            for role in roles:
                RoleGrant.objects.get_or_create(user=user, role=role)
            people[username] = user
        committees = {}
        for kind, name, days, chair, reps, tor in COMMITTEES:
            committees[name], _ = Committee.objects.get_or_create(
                board=board, name=name,
                defaults={"kind": kind, "meeting_frequency_days": days, "quorum_requires_chair": chair,
                          "quorum_agency_representatives": reps, "terms_of_reference": tor},
            )
        for committee, username, position, code in MEMBERSHIPS:
            CommitteeMembership.objects.get_or_create(
                committee=committees[committee], user=people[username],
                defaults={"position": position, "represents": agencies.get(code)},
            )
        # Each app that has demo records to add (referrals, reviews, ...) provides demo.load(board, people).
        for config in apps.get_app_configs():
            module_name = f"{config.name}.demo"
            if config.name.startswith("casereview.") and find_spec(module_name):
                import_module(module_name).load(board=board, people=people, agencies=agencies)
        self.stdout.write(self.style.SUCCESS(f"Demo board ready: {board.name}"))
