from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import ForeignKey, Model

from timeline.models import (
    Actor,
    ActorAlias,
    AliasKind,
    Participation,
    ReviewStatus,
    normalize_name,
)

from .errors import DomainError


def _foreign_keys_to_actor() -> list[tuple[type[Model], str]]:
    """Every concrete (model, field) pointing at Actor, found from the registry so that
    a relation added later cannot be forgotten by the merge."""
    from django.apps import apps

    found = []
    for model in apps.get_models():
        if model._meta.app_label != "timeline" or model.__name__.startswith("Historical"):
            continue
        for field in model._meta.get_fields():
            if isinstance(field, ForeignKey) and field.related_model is Actor and field.concrete:
                found.append((model, field.name))
    return found


@transaction.atomic
def actor_merge(source: Actor, target: Actor) -> Actor:
    """Fold ``source`` into ``target``: every alias is kept (its name becomes one too) and every
    reference is re-pointed. Rows that would become duplicates under a unique constraint
    (the same participation twice) are dropped, keeping the target's."""
    if source.pk == target.pk:
        raise DomainError("An actor cannot be merged into itself.")
    source = Actor.objects.select_for_update().get(pk=source.pk)
    target = Actor.objects.select_for_update().get(pk=target.pk)
    if target.status == ReviewStatus.MERGED:
        raise DomainError(f"{target} was itself merged; merge into {target.merged_into} instead.")
    known = set(target.aliases.values_list("normalized", flat=True)) | {target.normalized_name}
    for alias in source.aliases.all():
        if alias.normalized not in known:
            ActorAlias.objects.create(actor=target, name=alias.name, kind=alias.kind)
            known.add(alias.normalized)
    if normalize_name(source.name) not in known:
        ActorAlias.objects.create(actor=target, name=source.name, kind=AliasKind.NAME)
    source.aliases.all().delete()

    for participation in Participation.objects.filter(actor=source):
        if Participation.objects.filter(
            negotiation_id=participation.negotiation_id, actor=target, role=participation.role
        ).exists():
            participation.delete()
        else:
            participation.actor = target
            participation.save(update_fields=["actor"])

    for model, field in _foreign_keys_to_actor():
        if model is ActorAlias or model is Participation:
            continue
        if model is Actor and field == "merged_into":
            model._default_manager.filter(merged_into=source).update(merged_into=target)
            continue
        for row in model._default_manager.filter(**{field: source}):
            setattr(row, field, target)
            try:
                with transaction.atomic():
                    row.save(update_fields=[field])
            except IntegrityError:
                # A unique constraint says the target already has this row (same event role).
                row.delete()
    if target.affiliation_id == target.pk:
        target.affiliation = None
    if not target.role and source.role:
        target.role = source.role
    if not target.wikidata_id and source.wikidata_id:
        wikidata_id, source.wikidata_id = source.wikidata_id, ""
        source.save(update_fields=["wikidata_id"])
        target.wikidata_id = wikidata_id
    target.save()
    source.status = ReviewStatus.MERGED
    source.merged_into = target
    source.save()
    return target
