"""``manage.py createeditor NAME``: a staff account in the "Editors" group.

The password is asked for twice on a terminal, or taken from ``--password`` or the
``EDITOR_PASSWORD`` environment variable (for scripts); it must pass the password validators.
Running it for an existing user puts them in the group and leaves their password alone unless
a new one is given.
"""

from __future__ import annotations

import getpass
import os
import sys

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

GROUP = "Editors"


class Command(BaseCommand):
    help = 'Create a staff user in the "Editors" group (or add an existing user to it).'

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--password",
            default=None,
            help="Visible in the process list and shell history: prefer the prompt or "
            "EDITOR_PASSWORD.",
        )
        parser.add_argument(
            "--no-input",
            "--noinput",
            action="store_false",
            dest="interactive",
            help="Never prompt; fail if no password is given for a new user.",
        )

    def handle(self, *args, username: str, email: str, password: str | None, **options) -> None:
        User = get_user_model()
        try:
            group = Group.objects.get(name=GROUP)
        except Group.DoesNotExist as exc:
            raise CommandError(
                f'The "{GROUP}" group does not exist: run "manage.py migrate" first.'
            ) from exc
        user = User.objects.filter(username=username).first()
        password = password or os.environ.get("EDITOR_PASSWORD") or None
        if password is None and user is None:
            if not (options["interactive"] and sys.stdin.isatty()):
                raise CommandError(
                    "No password: give --password, set EDITOR_PASSWORD, or run in a terminal."
                )
            password = self._ask_password()
        candidate = user or User(username=username, email=email)
        if password is not None:
            try:
                validate_password(password, candidate)
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from exc

        with transaction.atomic():
            created = user is None
            if created:
                user = User.objects.create_user(username, email=email, password=password)
            elif password is not None:
                user.set_password(password)
            user.is_staff = True
            if email and not user.email:
                user.email = email
            user.save()
            user.groups.add(group)
        verb = "Created" if created else "Updated"
        self.stdout.write(
            self.style.SUCCESS(f'{verb} editor "{username}": staff, in the "{GROUP}" group.')
        )

    def _ask_password(self) -> str:
        for _attempt in range(3):
            first = getpass.getpass("Password: ")
            second = getpass.getpass("Password (again): ")
            if first and first == second:
                return first
            self.stderr.write("The passwords were empty or did not match; try again.")
        raise CommandError("No matching password given.")
