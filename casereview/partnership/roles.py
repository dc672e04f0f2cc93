"""The roles people hold on a board, as in the framework (seed s.4, 7, 8 and Appendix G/H).

A role is granted per board. Board-wide roles see every case record of their board; everyone else sees
a case only when given access to it (need to know) or through their agency's involvement.
"""

from django.db import models


class Role(models.TextChoices):
    BUSINESS_MANAGER = "business_manager", "Business Manager"
    INDEPENDENT_CHAIR = "independent_chair", "Independent Chair"
    DCS = "dcs", "Director of Children's Services"
    SCR_COMMITTEE_CHAIR = "scr_committee_chair", "SCR Committee chair"
    SCR_COMMITTEE_MEMBER = "scr_committee_member", "SCR Committee member"
    PERFORMANCE_CHAIR = "performance_chair", "Performance Committee chair"
    PERFORMANCE_MEMBER = "performance_member", "Performance Committee member"
    LD_MEMBER = "ld_member", "Learning and Development Committee member"
    EXECUTIVE_MEMBER = "executive_member", "Executive member"
    LEAD_REVIEWER = "lead_reviewer", "Lead reviewer"
    AGENCY_LEAD = "agency_lead", "Agency safeguarding lead"
    AGENCY_AUTHOR = "agency_author", "Agency author"
    PRACTITIONER = "practitioner", "Practitioner"
    QUALITY_AUDITOR = "quality_auditor", "Quality auditor"


# Roles whose work needs every case record of their board (seed s.5: the Business Manager runs the process
# and keeps the Chair and the DCS informed; the SCR Committee considers every referral).
BOARD_WIDE_CASE_ROLES = frozenset(
    {
        Role.BUSINESS_MANAGER,
        Role.INDEPENDENT_CHAIR,
        Role.DCS,
        Role.SCR_COMMITTEE_CHAIR,
        Role.SCR_COMMITTEE_MEMBER,
    }
)

# Roles that act for one agency and so must belong to one.
AGENCY_ROLES = frozenset({Role.AGENCY_LEAD, Role.AGENCY_AUTHOR})

# Roles that administer the board itself: its agencies, people and the audit trail.
BOARD_ADMIN_ROLES = frozenset({Role.BUSINESS_MANAGER})

# --- Role sets used by the apps' permission rules. Every set of roles lives here, once. ---

# Everyone who oversees the board's plans and meetings sees all of them (Performance Committee, Executive,
# quality auditors, and the board-wide case roles).
OVERSIGHT_ROLES = frozenset(BOARD_WIDE_CASE_ROLES | {
    Role.PERFORMANCE_CHAIR, Role.PERFORMANCE_MEMBER, Role.EXECUTIVE_MEMBER, Role.QUALITY_AUDITOR,
})
# The SCR Committee turns recommendations into outcomes and approves actions; the Business Manager runs the
# process for it.
PLAN_MANAGER_ROLES = frozenset({Role.BUSINESS_MANAGER, Role.SCR_COMMITTEE_CHAIR, Role.SCR_COMMITTEE_MEMBER})
# The Performance Committee monitors, evaluates impact and closes plans.
MONITOR_ROLES = frozenset({Role.BUSINESS_MANAGER, Role.PERFORMANCE_CHAIR, Role.PERFORMANCE_MEMBER})

# The SCR Committee works through the decision matrix; the Business Manager prepares it.
MATRIX_ROLES = frozenset({Role.BUSINESS_MANAGER, Role.SCR_COMMITTEE_CHAIR, Role.SCR_COMMITTEE_MEMBER})
# Who reads feedback letters and Panel notices.
LETTER_ROLES = frozenset({Role.BUSINESS_MANAGER, Role.INDEPENDENT_CHAIR, Role.DCS, Role.SCR_COMMITTEE_CHAIR,
                          Role.SCR_COMMITTEE_MEMBER})

# The SCR Committee quality-assures review reports.
QUALITY_ASSURANCE_ROLES = frozenset({Role.SCR_COMMITTEE_CHAIR, Role.SCR_COMMITTEE_MEMBER})
# Extensions to a review's timescale are decided by the Independent Chair or the SCR Committee chair.
EXTENSION_DECIDER_ROLES = frozenset({Role.INDEPENDENT_CHAIR, Role.SCR_COMMITTEE_CHAIR})

# The Business Manager runs the framework; the Performance Committee owns audits, forums and the monitoring of
# learning.
LEARNING_LEAD_ROLES = frozenset({Role.BUSINESS_MANAGER, Role.PERFORMANCE_CHAIR})
# Who may answer "why was this learning not sustained?" for the Performance Committee.
PERFORMANCE_COMMITTEE_ROLES = frozenset({Role.BUSINESS_MANAGER, Role.PERFORMANCE_CHAIR, Role.PERFORMANCE_MEMBER})
# Who may approve a learning summary for the board.
SUMMARY_APPROVER_ROLES = frozenset({Role.BUSINESS_MANAGER, Role.INDEPENDENT_CHAIR, Role.PERFORMANCE_CHAIR})
# Who may draft and edit a learning summary (of a review they can see).
SUMMARY_AUTHOR_ROLES = frozenset({Role.BUSINESS_MANAGER, Role.LEAD_REVIEWER})
# Who may grade audit cases besides agency staff answering for their own agency.
AUDITOR_ROLES = frozenset({Role.BUSINESS_MANAGER, Role.PERFORMANCE_CHAIR, Role.PERFORMANCE_MEMBER,
                           Role.QUALITY_AUDITOR})

# People who hold an office of the board (its business unit, its chair, its committees): none of them may lead a
# Serious Case Review, whose lead reviewer must be independent of the board (seed s.5).
BOARD_OFFICE_ROLES = frozenset({
    Role.BUSINESS_MANAGER, Role.INDEPENDENT_CHAIR, Role.DCS, Role.SCR_COMMITTEE_CHAIR, Role.SCR_COMMITTEE_MEMBER,
    Role.PERFORMANCE_CHAIR, Role.PERFORMANCE_MEMBER, Role.LD_MEMBER, Role.EXECUTIVE_MEMBER,
})
