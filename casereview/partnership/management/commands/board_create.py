"""Start a board from nothing: `python manage.py board_create --name NAME --manager-email EMAIL --manager-name NAME`.

Creates the board with its rule pack, the framework's committees and its starting data (the default learning
typology), and its Business Manager, who is emailed an invitation. The invitation link is printed on its own
line so the platform operator can also pass it on by another route.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from casereview.lib.clocks import available_packs
from casereview.partnership.invitations import INVITATION_DAYS, send_invitation
from casereview.partnership.services import PartnershipError
from casereview.partnership.setup import board_create


class Command(BaseCommand):
    help = "Create a board, its committees and its Business Manager, and invite the Business Manager."

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True, help='The board\'s name, e.g. "Northshire Safeguarding '
                                                          'Children Board"')
        parser.add_argument("--manager-email", required=True, help="The Business Manager's email address")
        parser.add_argument("--manager-name", required=True, help="The Business Manager's full name")
        parser.add_argument("--rule-pack", default="lscb-2015",
                            help="The statutory timescales the board works to: "
                                 + ", ".join(p.slug for p in available_packs()))

    def handle(self, *args, **options):
        try:
            with transaction.atomic():
                board, manager = board_create(by=None, name=options["name"],
                                              manager_email=options["manager_email"],
                                              manager_name=options["manager_name"], rule_pack=options["rule_pack"])
                link = send_invitation(manager)
        except PartnershipError as error:
            raise CommandError(error.message, returncode=2) from None
        committees = ", ".join(board.committees.values_list("name", flat=True))
        self.stdout.write(self.style.SUCCESS(f"Created {board.name} with {committees}."))
        self.stdout.write(f"Invitation emailed to {manager.email} ({manager.get_full_name()}, Business Manager). "
                          f"It works once, for {INVITATION_DAYS} days. The link:")
        self.stdout.write(link)
