from django.core.management.base import BaseCommand, CommandError

from casereview.api.services import ApiTokenError, api_token_create
from casereview.partnership.models import User


class Command(BaseCommand):
    help = "Create an API token for USERNAME and print it (it is shown only once)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="Created on the command line", help="What the token is for")

    def handle(self, *args, **options):
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"No user called {options['username']!r}")
        if not user.is_active:
            raise CommandError(f"{user.username}'s account is switched off: switch it on before making a token")
        try:
            token, key = api_token_create(by=None, user=user, name=options["name"])
        except ApiTokenError as error:
            raise CommandError(str(error)) from error
        self.stderr.write(f"The token works until {token.expires_at:%Y-%m-%d}; its owner can renew it.")
        self.stdout.write(key)
