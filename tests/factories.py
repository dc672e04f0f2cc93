"""Fictional test data. Names are deliberately unreal so nobody mistakes them for real people."""

import factory

from casereview.cases.models import Case, CaseAccess, CaseAgency, CasePerson
from casereview.partnership.models import Agency, Board, Committee, RoleGrant, User


class BoardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Board

    name = factory.Sequence(lambda n: f"Testshire Board {n}")
    slug = factory.Sequence(lambda n: f"testshire-{n}")


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    board = factory.SubFactory(BoardFactory)
    name = factory.Sequence(lambda n: f"Test Agency {n}")
    short_code = factory.Sequence(lambda n: f"TA{n}")
    type = Agency.Type.OTHER


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"tester{n}")
    first_name = "Testy"
    last_name = factory.Sequence(lambda n: f"Mctestface{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@testshire.example")
    board = factory.SubFactory(BoardFactory)
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery staple")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        for role in extracted or []:
            RoleGrant.objects.create(user=self, role=role)
        self.__dict__.pop("_role_cache", None)
        if create:
            self.save()


class CommitteeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Committee

    board = factory.SubFactory(BoardFactory)
    kind = Committee.Kind.PERFORMANCE
    name = factory.Sequence(lambda n: f"Test Committee {n}")
    meeting_frequency_days = 42
    quorum_agency_representatives = 3


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case

    board = factory.SubFactory(BoardFactory)
    reference = factory.Sequence(lambda n: f"TEST-{n:04d}")
    pseudonym = factory.Sequence(lambda n: f"Child T{n}")


class CasePersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CasePerson

    case = factory.SubFactory(CaseFactory)
    relationship = CasePerson.Relationship.SUBJECT_CHILD
    full_name = "Zebedee Fictionperson"
    anonymised_label = factory.Sequence(lambda n: f"Child Z{n}")


class CaseAgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CaseAgency

    case = factory.SubFactory(CaseFactory)
    agency = factory.SubFactory(AgencyFactory)


class CaseAccessFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CaseAccess

    case = factory.SubFactory(CaseFactory)
    user = factory.SubFactory(UserFactory)
    reason = "Lead reviewer"
    granted_by = factory.SubFactory(UserFactory)
