from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import ForeignKey, Model

from timeline.models import (
    Actor,
    ActorAlias,
    AliasKind,
    DelegationMember,
    EventParticipant,
    EventPartyDayCount,
    Participation,
    Position,
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
        if model is EventPartyDayCount:
            continue  # kept by triggers: they recount as the participants and people move

        for field in model._meta.get_fields():
            if isinstance(field, ForeignKey) and field.related_model is Actor and field.concrete:
                found.append((model, field.name))
    return found


# Pure link rows: a duplicate after re-pointing says the same thing twice and can go.
_DUPLICATE_LINK_MODELS = (EventParticipant, DelegationMember)


def _positions_repoint(source: Actor, target: Actor) -> None:
    """Give the source's positions to the target; where both hold a current stance on one
    issue, the newer one stays current (the target's on a tie or when undated)."""
    target_current = {
        p.issue_id: p
        for p in Position.objects.select_for_update(no_key=True)
        .filter(party=target, is_current=True)
        .order_by("pk")
    }
    for position in (
        Position.objects.select_for_update(no_key=True).filter(party=source).order_by("pk")
    ):
        other = target_current.get(position.issue_id)
        position.settle_current_with(other)
        position.party = target
        position.save(update_fields=["party", "updated_at"])


@transaction.atomic
def actor_merge(source: Actor, target: Actor) -> Actor:
    """Fold ``source`` into ``target``: every alias is kept (its name becomes one too) and every
    reference is re-pointed. Rows that would become duplicates under a unique constraint
    (the same participation twice) are dropped, keeping the target's."""
    if source.pk == target.pk:
        raise DomainError("An actor cannot be merged into itself.")
    # Both rows locked in id order, so two editors merging crosswise cannot deadlock; and
    # read again under the lock, since either may have been merged a moment ago.
    locked = {
        a.pk: a
        for a in Actor.objects.select_for_update(no_key=True)
        .filter(pk__in=[source.pk, target.pk])
        .order_by("pk")
    }
    if len(locked) < 2:
        raise DomainError("One of these actors was deleted meanwhile.")
    source, target = locked[source.pk], locked[target.pk]
    if target.status == ReviewStatus.MERGED:
        raise DomainError(f"{target} was itself merged; merge into {target.merged_into} instead.")
    if source.status == ReviewStatus.MERGED:
        # Merging it again would move the tombstone's pointer and leave the first survivor
        # with nothing to show for it.
        raise DomainError(f"{source} was already merged into {source.merged_into}.")
    known = set(target.aliases.values_list("normalized", flat=True)) | {target.normalized_name}
    moved: dict[str, int] = {}
    new_aliases = []
    for alias in source.aliases.all():
        if alias.normalized not in known:
            ActorAlias.objects.create(actor=target, name=alias.name, kind=alias.kind)
            known.add(alias.normalized)
            new_aliases.append(alias.name)
    if normalize_name(source.name) not in known:
        ActorAlias.objects.create(actor=target, name=source.name, kind=AliasKind.NAME)
        new_aliases.append(source.name)
    source.aliases.all().delete()

    for participation in Participation.objects.filter(actor=source):
        if Participation.objects.filter(
            negotiation_id=participation.negotiation_id, actor=target, role=participation.role
        ).exists():
            participation.delete()
        else:
            participation.actor = target
            participation.save(update_fields=["actor"])

    _positions_repoint(source, target)

    for model, field in _foreign_keys_to_actor():
        if model in (ActorAlias, Participation, Position):
            continue
        # In id order, as ``event_merge`` locks the same link rows, so neither waits in a circle.
        rows = model._default_manager.filter(**{field: source}).order_by("pk")
        if model is Actor:
            # The target itself may point at the source (a person affiliated with the
            # organisation merged into them); it is handled below, never re-pointed at itself.
            rows = rows.exclude(pk=target.pk)
        for row in rows:
            label = str(model._meta.verbose_name_plural)
            moved[label] = moved.get(label, 0) + 1
            setattr(row, field, target)
            update_fields = [field]
            if any(f.name == "updated_at" for f in model._meta.concrete_fields):
                update_fields.append("updated_at")
            try:
                with transaction.atomic():
                    row.save(update_fields=update_fields)
            except IntegrityError as exc:
                if model not in _DUPLICATE_LINK_MODELS:
                    # Deleting the row would lose an editor's work (a delegation and its
                    # members, an outlet and its articles' link): refuse the whole merge.
                    raise DomainError(
                        f"Both actors have a {model._meta.verbose_name} that cannot be combined "
                        f"automatically ({row}); merge or remove one of them first."
                    ) from exc
                # The target already plays this part (same event role, same delegation seat).
                row.delete()
    target.refresh_from_db()
    if target.affiliation_id == source.pk:
        target.affiliation = None
    if not target.role and source.role:
        target.role = source.role
    if not target.wikidata_id and source.wikidata_id:
        wikidata_id, source.wikidata_id = source.wikidata_id, ""
        source.save(update_fields=["wikidata_id"])
        target.wikidata_id = wikidata_id
    if source.status == ReviewStatus.PUBLISHED and target.status == ReviewStatus.CANDIDATE:
        # The published identity lives on in the target: its page must not vanish with it.
        target.status = ReviewStatus.PUBLISHED
    parts = [f"aliases added: {', '.join(new_aliases)}"] if new_aliases else []
    parts += [f"{n} {label}" for label, n in sorted(moved.items())]
    summary = f"Merged “{source}” into it" + (f" ({'; '.join(parts)})." if parts else ".")
    # simple-history keeps 100 characters of a change reason; the admin's log keeps it all.
    target._change_reason = summary[:100]  # type: ignore[attr-defined]
    target.save()
    target.merge_summary = summary  # type: ignore[attr-defined]
    source.status = ReviewStatus.MERGED
    source.merged_into = target
    source._change_reason = f"Merged into “{target}”."[:100]  # type: ignore[attr-defined]
    source.save()
    return target
