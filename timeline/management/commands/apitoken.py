"""``manage.py apitoken NAME``: print the API token of an editor, creating it if needed.

API clients send it as ``Authorization: Token <key>`` (not ``Bearer``). ``--reset`` replaces
the key, so a leaked one stops working.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from rest_framework.authtoken.models import Token


class Command(BaseCommand):
    help = "Print an editor's API token (created on first use); send it as 'Authorization: Token <key>'."

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")
        parser.add_argument(
            "--reset", action="store_true", help="Replace the token: the old key stops working."
        )

    @transaction.atomic
    def handle(self, *args, username: str, reset: bool, **options) -> None:
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(
                f"There is no user {username!r}: create one with `manage.py createeditor {username}`."
            )
        if reset:
            Token.objects.filter(user=user).delete()
        token, created = Token.objects.get_or_create(user=user)
        self.stdout.write(token.key)
        if options["verbosity"] >= 1:
            what = "New token" if created else "Existing token"
            self.stderr.write(
                f"{what} for {username}. Send it as the header 'Authorization: Token {token.key}'."
            )
