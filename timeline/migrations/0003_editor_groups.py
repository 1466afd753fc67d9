"""The "Editors" and "Viewers" groups with their permissions.

Permissions are normally created after all migrations run (post_migrate), so on a fresh
database they do not exist yet here: create them first. The model lists are frozen on purpose:
a later model gets its permissions granted by its own migration, not by re-running this one.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

# Everything an editor curates: they add and change it, and view it.
CURATED = [
    "actor",
    "actoralias",
    "place",
    "outlet",
    "article",
    "negotiation",
    "participation",
    "round",
    "delegation",
    "delegationmember",
    "issue",
    "position",
    "event",
    "eventparticipant",
    "citation",
    "feed",
    "ingestion",
]
# Rows editors may delete: links fixed in inlines. Articles, events and positions are never
# deleted by an editor (retract or reject instead), so their provenance is never lost.
DELETABLE = ["actoralias", "participation", "delegationmember", "eventparticipant", "citation"]
GROUPS = {
    "Editors": [f"{action}_{model}" for model in CURATED for action in ("add", "change", "view")]
    + [f"delete_{model}" for model in DELETABLE],
    "Viewers": [f"view_{model}" for model in CURATED],
}


def create_groups(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GROUPS.items():
        group, _created = Group.objects.get_or_create(name=name)
        permissions = Permission.objects.filter(
            content_type__app_label="timeline", codename__in=codenames
        )
        missing = set(codenames) - set(permissions.values_list("codename", flat=True))
        if missing:
            raise RuntimeError(f"Permissions missing for group {name}: {sorted(missing)}")
        group.permissions.add(*permissions)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("timeline", "0002_ingestion_fields"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
