import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db

STRONG = "ceasefire-ledger-47-rounds"


def test_createeditor_creates_staff_user_in_editors_group():
    call_command("createeditor", "amira", "--password", STRONG, "--email", "amira@desk.example")

    user = get_user_model().objects.get(username="amira")
    assert user.is_staff is True
    assert user.is_superuser is False
    assert list(user.groups.values_list("name", flat=True)) == ["Editors"]
    assert user.check_password(STRONG)
    assert user.has_perm("timeline.change_event")
    assert not user.has_perm("timeline.delete_article")


def test_createeditor_reads_password_from_environment(monkeypatch):
    monkeypatch.setenv("EDITOR_PASSWORD", STRONG)

    call_command("createeditor", "karim", "--no-input")

    assert get_user_model().objects.get(username="karim").check_password(STRONG)


def test_createeditor_weak_password_is_refused_and_creates_nothing():
    with pytest.raises(CommandError, match=r"too common|too short"):
        call_command("createeditor", "lea", "--password", "password")

    assert not get_user_model().objects.filter(username="lea").exists()


def test_createeditor_without_password_and_no_terminal_is_refused(monkeypatch):
    monkeypatch.delenv("EDITOR_PASSWORD", raising=False)

    with pytest.raises(CommandError, match="No password"):
        call_command("createeditor", "noor", "--no-input")


def test_createeditor_existing_user_joins_group_and_keeps_password(monkeypatch):
    monkeypatch.delenv("EDITOR_PASSWORD", raising=False)
    user = get_user_model().objects.create_user("sam", password=STRONG)

    call_command("createeditor", "sam", "--no-input")

    user.refresh_from_db()
    assert user.is_staff is True
    assert user.check_password(STRONG)
    assert user.groups.filter(name="Editors").exists()


def test_createeditor_prompts_twice_on_a_terminal(monkeypatch):
    monkeypatch.delenv("EDITOR_PASSWORD", raising=False)
    answers = iter(["mismatch-one-xyz", "mismatch-two-xyz", STRONG, STRONG])
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(answers))

    call_command("createeditor", "yara")

    assert get_user_model().objects.get(username="yara").check_password(STRONG)


def test_apitoken_prints_the_same_key_until_reset(capsys):
    from rest_framework.authtoken.models import Token

    get_user_model().objects.create_user("amira", password=STRONG, is_staff=True)

    call_command("apitoken", "amira")
    first = capsys.readouterr()
    call_command("apitoken", "amira")
    again = capsys.readouterr().out.strip()
    stored = Token.objects.get(user__username="amira").key
    call_command("apitoken", "amira", "--reset")
    reset = capsys.readouterr().out.strip()

    assert first.out.strip() == again == stored != reset
    assert "Authorization: Token" in first.err


def test_apitoken_for_unknown_user_says_how_to_create_one():
    with pytest.raises(CommandError, match="createeditor nobody"):
        call_command("apitoken", "nobody")


def test_openapi_description_explains_how_to_get_started(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()

    assert "Authorization: Token <key>" in schema["info"]["description"]
    assert "manage.py apitoken" in schema["info"]["description"]
