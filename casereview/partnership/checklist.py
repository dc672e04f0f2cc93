"""What a board still needs before it can run a case: the Business Manager's set-up checklist."""

from dataclasses import dataclass

from django.db.models import Count, Q
from django.urls import reverse

from casereview.core.permissions import can_manage_board

from .models import Agency, Board, Committee, CommitteeMembership, User
from .roles import Role


@dataclass(frozen=True)
class Gap:
    text: str
    url: str
    action: str


def setup_gaps(board: Board) -> list[Gap]:
    """Each missing piece, in the order a Business Manager would fix them."""
    gaps: list[Gap] = []
    people = User.objects.filter(board=board, is_active=True)
    agencies = list(Agency.objects.filter(board=board, active=True))
    if not agencies:
        gaps.append(Gap("The board has no partner agencies", reverse("partnership:agency_create"),
                        "Add an agency"))
    leads = set(people.filter(role_grants__role=Role.AGENCY_LEAD).values_list("agency_id", flat=True))
    gaps += [Gap(f"No safeguarding lead for {agency.name}", reverse("partnership:person_create"),
                 "Add a person") for agency in agencies if agency.pk not in leads]
    if not people.filter(role_grants__role=Role.INDEPENDENT_CHAIR).exists():
        gaps.append(Gap("Nobody is the board's Independent Chair", reverse("partnership:people_list"),
                        "Give someone the role"))
    committees = (Committee.objects.filter(board=board)
                  .annotate(members=Count("memberships"),
                            chairs=Count("memberships", filter=Q(memberships__position="chair")),
                            agencies=Count("memberships__represents", distinct=True,
                                           filter=~Q(memberships__position=CommitteeMembership.Position.ADVISER))))
    for committee in committees:
        add = reverse("partnership:membership_create", args=[committee.pk])
        if not committee.members:
            gaps.append(Gap(f"{committee.name} has no members", add, "Add members"))
            continue
        if committee.quorum_requires_chair and not committee.chairs:
            gaps.append(Gap(f"{committee.name} has no chair", add, "Add a chair"))
        needed = committee.quorum_agency_representatives
        if committee.agencies < needed:
            gaps.append(Gap(f"{committee.name} cannot be quorate: its quorum needs {needed} agencies and its members "
                            f"represent {committee.agencies}", add, "Add members"))
    return gaps


def checklist_panel(user):
    """The Business Manager's home page: what is missing before the board can run a case (nothing once set up)."""
    if not can_manage_board(user) or user.board is None:
        return None
    gaps = setup_gaps(user.board)
    if not gaps:
        return None
    return {"title": "Before the board can run a case", "headings": ["What is missing", "What to do"],
            "rows": [{"url": gap.url, "cells": [gap.text, gap.action]} for gap in gaps]}
