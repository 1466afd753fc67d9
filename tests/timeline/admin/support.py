"""What the admin tests share: the URL helper, logins, running an action, reading messages."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import reverse

from tests import factories as f
from timeline import models as m

URL_SCHEME_WARNING = "The default scheme will be changed"

ADMIN_MARKS = [
    pytest.mark.django_db,
    # Every admin page and action fails if a form still builds a URLField without
    # ``assume_scheme`` (Django 5.2 warns; 6.0 changes the default).
    pytest.mark.filterwarnings(f"error:{URL_SCHEME_WARNING}:DeprecationWarning"),
]

TIMELINE_ADMINS = [model for model in admin.site._registry if model._meta.app_label == "timeline"]
DOMAIN_MODELS = [
    m.Actor,
    m.ActorAlias,
    m.Place,
    m.Outlet,
    m.Article,
    m.Negotiation,
    m.Participation,
    m.Round,
    m.Delegation,
    m.DelegationMember,
    m.Issue,
    m.Position,
    m.Event,
    m.EventParticipant,
    m.Citation,
]


def _url(model, view: str, *args) -> str:
    return reverse(f"admin:timeline_{model._meta.model_name}_{view}", args=args)


def _login(client, group: str):
    user = f.UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    client.force_login(user)
    return user


def _run_action(client, model, action: str, objects, **extra):
    data = {"action": action, "_selected_action": [obj.pk for obj in objects], **extra}
    return client.post(_url(model, "changelist"), data, follow=True)


def _messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def _candidate(text: str, quote: str, **kwargs) -> m.Event:
    article = f.ArticleFactory(text=text)
    event = f.EventFactory(status=m.ReviewStatus.CANDIDATE, source_article=article, **kwargs)
    start = text.index(quote)
    f.CitationFactory(event=event, article=article, start=start, end=start + len(quote))
    f.EventParticipantFactory(event=event)
    return event
