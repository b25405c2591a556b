"""Create or reset the demo staff account with a freshly generated password, and print it."""

import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand

from platform_portal.roles import SECRETARIAT, roles_sync


class Command(BaseCommand):
    help = "Create or reset the demo staff account (secretariat role) and print its generated password."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="staff")
        parser.add_argument("--url", default="http://127.0.0.1:8000/admin/", help="the back office address to print")

    def handle(self, *args, username, url, **options):
        roles_sync()
        password = secrets.token_urlsafe(12)
        User = get_user_model()
        user, _created = User.objects.get_or_create(username=username)
        user.is_staff = True
        user.is_active = True
        user.set_password(password)
        user.save()
        user.groups.add(Group.objects.get(name=SECRETARIAT))
        self.stdout.write(f"Staff login: {url}  user: {username}  password: {password}")
