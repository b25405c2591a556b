"""Open data of the member registry: the public member organisations (public fields only)."""

from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from members.selectors import organization_public_queryset
from platform_portal.opendata import Dataset, register

COLUMNS = [
    "団体名",
    "団体名_カナ",
    "区分",
    "種別・分類",
    "法人格",
    "市町村",
    "活動分野",
    "ウェブサイト",
    "参加承認日",
    "URL",
]


def _rows(base_url: str) -> list[list]:
    organizations = (
        organization_public_queryset()
        .select_related("general_type", "steering_category", "municipality")
        .prefetch_related("activity_fields")
        .order_by("tier", "name_kana", "name", "pk")
    )
    return [
        [
            o.name,
            o.name_kana,
            str(o.get_tier_display()),
            o.group_label,
            o.legal_form,
            o.municipality.name if o.municipality_id else "",
            "、".join(field.name for field in o.activity_fields.all()),
            o.website,
            o.approved_on,
            base_url + o.get_absolute_url(),
        ]
        for o in organizations
    ]


def _modified():
    latest = organization_public_queryset().aggregate(latest=Max("updated_at"))["latest"]
    return latest.date() if latest else None


register(
    Dataset(
        slug="members",
        title=_("Member organisations"),
        description=_(
            "The platform's member organisations as on the public registry: name, tier, type, municipality, fields of activity and website. Contact persons are not included."
        ),
        columns=COLUMNS,
        rows=_rows,
        modified=_modified,
        order=10,
    )
)
