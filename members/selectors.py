"""Reads of the member registry (docs/house-style.md R6): the public registry, duplicates, the queue."""

import datetime
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Count, F, Max, Q, QuerySet
from django.http import Http404

from members import rules
from members.models import ContactPerson, GeneralType, Organization, SteeringCategory
from platform_portal.lib.fiscal import FiscalYear, fiscal_year_of


def organization_list_current(*, public: bool) -> QuerySet[Organization]:
    """The current members (approved organisations); `public`: only those consenting to publication.

    The one definition of "is a member" for every app: other apps read members through this
    selector, so a page that names members never forgets the publication consent.
    """
    current = Organization.objects.filter(status=Organization.Status.APPROVED)
    return current.filter(publish_consent=True) if public else current


def organization_public_queryset() -> QuerySet[Organization]:
    """Organisations that may appear on public pages: approved and consenting to publication."""
    return organization_list_current(public=True)


@dataclass
class RegistryGroup:
    key: str
    label: str
    organizations: list[Organization] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.organizations)


@dataclass
class Registry:
    general: list[RegistryGroup]
    steering: list[RegistryGroup]
    as_of: datetime.date | None
    filtered: bool

    @property
    def general_total(self) -> int:
        return sum(group.count for group in self.general)

    @property
    def steering_total(self) -> int:
        return sum(group.count for group in self.steering)

    @property
    def total(self) -> int:
        return self.general_total + self.steering_total


def organization_search_filter(q: str) -> Q:
    """A keyword that finds a group however it is typed: width, spaces, legal form, kana."""
    condition = Q()
    key = rules.name_key(q)
    if key:
        condition |= Q(name_key__contains=key)
    kana = rules.kana_key(q)
    if kana:
        condition |= Q(name_kana__contains=kana)
    form = rules.legal_form_of(q)
    if form and not key:
        condition |= Q(legal_form=form)
    elif not form and (form := rules.legal_form_of_query(q)):
        condition |= Q(legal_form=form)  # a bare short form such as "NPO"
    return condition if condition else Q(pk__in=[])


REGISTRY_ORDER = (F("display_order").asc(nulls_last=True), "name_kana", "name")


def organization_members_on(day: datetime.date) -> QuerySet[Organization]:
    """Organisations that were members on a day: approved by then and not withdrawn by then."""
    return Organization.objects.filter(
        Q(status=Organization.Status.APPROVED) | Q(status=Organization.Status.WITHDRAWN, withdrawn_on__gt=day),
        approved_on__lte=day,
        publish_consent=True,
    )


def registry_get(
    *,
    group: str = "",
    municipality_id: int | None = None,
    activity_field_id: int | None = None,
    q: str = "",
    as_of: datetime.date | None = None,
) -> Registry:
    """The public registry as the reference prints it: general members by type, steering by category.

    `group` is "g<type id>" or "s<category id>". Within a group organisations follow their
    display order, then their reading (五十音). The as-of date is the latest approval or
    withdrawal among all records, or `as_of` for the registry on a given day.
    """
    base = organization_public_queryset() if as_of is None else organization_members_on(as_of)
    organizations = base.select_related("general_type", "steering_category", "municipality").order_by(*REGISTRY_ORDER)
    filtered = False
    if group[:1] == "g" and group[1:].isdigit():
        organizations = organizations.filter(tier=Organization.Tier.GENERAL, general_type_id=int(group[1:]))
        filtered = True
    elif group[:1] == "s" and group[1:].isdigit():
        organizations = organizations.filter(tier=Organization.Tier.STEERING, steering_category_id=int(group[1:]))
        filtered = True
    if municipality_id:
        organizations = organizations.filter(municipality_id=municipality_id)
        filtered = True
    if activity_field_id:
        organizations = organizations.filter(activity_fields__id=activity_field_id)
        filtered = True
    if q.strip():
        organizations = organizations.filter(organization_search_filter(q))
        filtered = True

    general = [RegistryGroup(key=f"g{t.pk}", label=t.name) for t in GeneralType.objects.all()]
    steering = [RegistryGroup(key=f"s{c.pk}", label=c.name) for c in SteeringCategory.objects.all()]
    by_key = {g.key: g for g in general + steering}
    for organization in organizations.distinct():
        if organization.tier == Organization.Tier.GENERAL:
            key = f"g{organization.general_type_id}"
        else:
            key = f"s{organization.steering_category_id}"
        by_key[key].organizations.append(organization)
    if filtered:
        general = [g for g in general if g.count]
        steering = [g for g in steering if g.count]
    if as_of is not None:
        return Registry(general=general, steering=steering, as_of=as_of, filtered=filtered)
    dates = Organization.objects.aggregate(approved=Max("approved_on"), withdrawn=Max("withdrawn_on"))
    known = [d for d in dates.values() if d]
    return Registry(general=general, steering=steering, as_of=max(known) if known else None, filtered=filtered)


def organization_get_public(*, pk: int) -> Organization:
    """One organisation for its public page; 404 for missing and non-public alike (AC3)."""
    try:
        return (
            organization_public_queryset()
            .select_related("general_type", "steering_category", "municipality")
            .prefetch_related("activity_fields", "activities")
            .get(pk=pk)
        )
    except Organization.DoesNotExist as exc:
        raise Http404 from exc


def organization_find_duplicates(*, name: str, emails: list[str], exclude_pk: int | None = None) -> list[str]:
    """Codes of the ways an application duplicates a registered group: duplicate_name, duplicate_email.

    Rejected applications do not count: a group may apply again after a rejection.
    """
    live = Organization.objects.exclude(status=Organization.Status.REJECTED)
    if exclude_pk:
        live = live.exclude(pk=exclude_pk)
    codes = []
    key = rules.name_key(name)
    if key and live.filter(name_key=key).exists():
        codes.append("duplicate_name")
    keys = {rules.email_key(e) for e in emails if e}
    if keys:
        matches = Q()
        for key in sorted(keys):
            matches |= Q(email__iexact=key)
        if ContactPerson.objects.filter(matches, organization__in=live).exists():
            codes.append("duplicate_email")
    return codes


def organization_pending_count() -> int:
    return Organization.objects.filter(status=Organization.Status.PENDING).count()


def organization_by_token(*, token: str) -> Organization | None:
    return Organization.objects.filter(submission_token=token).first()


LOOKUPS_VERSION_KEY = "members:lookups:version"


def registry_cache_key() -> str:
    """A key that changes whenever the public registry may change.

    Any write to an organisation moves max(updated_at) or the count (bulk loads included);
    edits of the lookup tables (types, categories, municipalities, fields) bump a token in
    the shared cache through `registry_lookups_changed`.
    """
    stats = Organization.objects.aggregate(updated=Max("updated_at"), count=Count("pk"))
    lookups = cache.get(LOOKUPS_VERSION_KEY) or "0"
    updated = stats["updated"].isoformat() if stats["updated"] else "-"
    return f"{updated}:{stats['count']}:{lookups}"


def registry_lookups_changed() -> None:
    """Invalidate cached registry pages after a lookup table changed."""
    import secrets

    cache.set(LOOKUPS_VERSION_KEY, secrets.token_hex(8), None)


def membership_list_for_user(*, user) -> QuerySet:
    """The groups a person acts for (member pages)."""
    from members.models import Membership

    if not getattr(user, "is_authenticated", False):
        return Membership.objects.none()
    return Membership.objects.filter(user=user).select_related("organization").order_by("organization__name")


def membership_get_for_user(*, user, organization_id: int):
    """The person's membership of one group; 404 for every group they do not belong to (privacy)."""
    from members.models import Membership

    try:
        return Membership.objects.select_related(
            "organization",
            "organization__municipality",
            "organization__general_type",
            "organization__steering_category",
        ).get(user=user, organization_id=organization_id, user__is_active=True)
    except Membership.DoesNotExist as exc:
        raise Http404 from exc


@dataclass(frozen=True)
class MemberYearCount:
    """Member organisations at the end of a fiscal year (or today, for the current one)."""

    fiscal_year: FiscalYear
    by_tier: dict[str, int]
    by_group: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.by_tier.values())


def organization_group_labels() -> list[str]:
    """Registry groups in the registry's order: general types, then steering categories."""
    return [t.name for t in GeneralType.objects.all()] + [c.name for c in SteeringCategory.objects.all()]


def organization_counts_by_fiscal_year(*, today: datetime.date, public_only: bool) -> list[MemberYearCount]:
    """Members by tier and by group at the end of each fiscal year from the first approval to today.

    A member counts from its approval date until its withdrawal date. `public_only` counts only
    organisations that consent to publication (the public registry's rule), withdrawn ones
    included for the years they were members. One query, however many organisations.
    """
    rows = Organization.objects.filter(
        status__in=[Organization.Status.APPROVED, Organization.Status.WITHDRAWN], approved_on__isnull=False
    )
    if public_only:
        rows = rows.filter(publish_consent=True)
    members = [
        (tier, general_type, category, approved_on, withdrawn_on)
        for tier, general_type, category, approved_on, withdrawn_on in rows.values_list(
            "tier", "general_type__name", "steering_category__name", "approved_on", "withdrawn_on"
        )
        if approved_on is not None  # filtered in the query; this tells the type checker
    ]
    if not members:
        return []
    first = fiscal_year_of(min(m[3] for m in members))
    current = fiscal_year_of(today)
    result = []
    for start_year in range(first.start_year, current.start_year + 1):
        year = FiscalYear(start_year)
        as_of = min(year.last_day, today)
        by_tier = {Organization.Tier.STEERING.value: 0, Organization.Tier.GENERAL.value: 0}
        by_group: dict[str, int] = {}
        for tier, general_type, category, approved_on, withdrawn_on in members:
            if approved_on > as_of or (withdrawn_on is not None and withdrawn_on <= as_of):
                continue
            by_tier[tier] += 1
            group = category if tier == Organization.Tier.STEERING else general_type
            by_group[group or ""] = by_group.get(group or "", 0) + 1
        result.append(MemberYearCount(fiscal_year=year, by_tier=by_tier, by_group=by_group))
    return result


def organization_public_counts_by_tier() -> dict[str, int]:
    """Organisations on the public registry today, by tier (the home page's headline figures)."""
    counts = {Organization.Tier.STEERING.value: 0, Organization.Tier.GENERAL.value: 0}
    for row in organization_public_queryset().values("tier").annotate(count=Count("pk")).order_by():
        counts[row["tier"]] = row["count"]
    return counts
