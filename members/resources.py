"""Import and export of organisations and contact persons (docs/quality.md IE1-IE6, docs/house-style.md R20).

Japanese column names, natural keys (the organisation's name, lookups by name), validation
on, one transaction per file. Hooks only normalise cells. A row whose 状態 differs from the stored
one (or a new row that is not 申請中) is saved in its stored state and then moved by the same
service as in the admin (approve, reject, withdraw), so the audit entry and the mail that the
decision brings are never skipped (docs/house-style.md R20).
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import fields, widgets

from members import rules, services
from members.models import ActivityField, ContactPerson, GeneralType, Municipality, Organization, SteeringCategory
from platform_portal.importexport import CachedForeignKeyWidget, JapaneseDateWidget, PortalResource
from platform_portal.lib.contact import has_web_scheme

# The words of the secretariat's lists, independent of the UI language.
TIER_LABELS = {"steering": "幹事団体", "general": "一般団体"}
STATUS_LABELS = {"pending": "申請中", "approved": "承認", "rejected": "不承認", "withdrawn": "退会"}
STATUS_FIELDS = ["status", "status_reason", "applied_on", "approved_on", "rejected_on", "withdrawn_on"]


class ChoiceLabelWidget(widgets.Widget):
    """A choice column by its Japanese word (承認, 一般団体) or its code."""

    def __init__(self, labels: dict[str, str], **kwargs):
        self.labels = labels
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        text = rules.fold_width(str(value or "")).strip()
        if not text:
            return None
        for code, label in self.labels.items():
            if text in (code, label):
                return code
        raise ValueError(_("Unknown value: %(value)s") % {"value": value})

    def render(self, value, obj=None, **kwargs):
        return self.labels.get(value, value or "")


class YesNoWidget(widgets.BooleanWidget):
    """はい/いいえ (also 1/0, TRUE/FALSE, ○/×)."""

    TRUE = {"はい", "1", "true", "yes", "○", "〇", "有"}
    FALSE = {"いいえ", "0", "false", "no", "×", "無", ""}

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, bool):
            return value
        text = rules.fold_width(str(value if value is not None else "")).strip()
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise ValueError(_("Enter はい or いいえ: %(value)s") % {"value": value})

    def render(self, value, obj=None, **kwargs):
        return "はい" if value else "いいえ"


class NameListWidget(widgets.ManyToManyWidget):
    """Activity fields as names separated by 、 or , ; unknown names are refused."""

    def __init__(self, model, **kwargs):
        super().__init__(model, separator="、", field="name", **kwargs)

    def clean(self, value, row=None, **kwargs):
        if not value:
            return self.model.objects.none()
        names = [n.strip() for n in str(value).replace(",", "、").replace("，", "、").split("、") if n.strip()]
        found = list(self.model.objects.filter(name__in=names))
        missing = sorted(set(names) - {obj.name for obj in found})
        if missing:
            raise ValueError(_("Unknown value: %(value)s") % {"value": "、".join(missing)})
        return found


class OrganizationResource(PortalResource):
    """Organisations by name; the lookups (category, type, municipality, fields) by their names."""

    name = fields.Field(attribute="name", column_name="団体名")
    name_kana = fields.Field(attribute="name_kana", column_name="よみがな")
    tier = fields.Field(attribute="tier", column_name="区分", widget=ChoiceLabelWidget(TIER_LABELS))
    steering_category = fields.Field(
        attribute="steering_category",
        column_name="幹事団体区分",
        widget=CachedForeignKeyWidget(SteeringCategory, "name"),
    )
    general_type = fields.Field(
        attribute="general_type", column_name="団体種別", widget=CachedForeignKeyWidget(GeneralType, "name")
    )
    legal_form = fields.Field(attribute="legal_form", column_name="法人格")
    municipality = fields.Field(
        attribute="municipality", column_name="市町村", widget=CachedForeignKeyWidget(Municipality, "name")
    )
    address = fields.Field(attribute="address", column_name="所在地")
    website = fields.Field(attribute="website", column_name="ウェブサイト")
    description = fields.Field(attribute="description", column_name="活動内容")
    activity_fields = fields.Field(
        attribute="activity_fields", column_name="活動分野", widget=NameListWidget(ActivityField)
    )
    publish_consent = fields.Field(attribute="publish_consent", column_name="公開同意", widget=YesNoWidget())
    status = fields.Field(attribute="status", column_name="状態", widget=ChoiceLabelWidget(STATUS_LABELS))
    status_reason = fields.Field(attribute="status_reason", column_name="理由")
    applied_on = fields.Field(attribute="applied_on", column_name="申請日", widget=JapaneseDateWidget())
    approved_on = fields.Field(attribute="approved_on", column_name="承認日", widget=JapaneseDateWidget())
    rejected_on = fields.Field(attribute="rejected_on", column_name="不承認日", widget=JapaneseDateWidget())
    withdrawn_on = fields.Field(attribute="withdrawn_on", column_name="退会日", widget=JapaneseDateWidget())
    receipt_number = fields.Field(attribute="receipt_number", column_name="受付番号", readonly=True)

    class Meta(PortalResource.Meta):
        model = Organization
        import_id_fields = ["name"]
        fields = [
            "name",
            "name_kana",
            "tier",
            "steering_category",
            "general_type",
            "legal_form",
            "municipality",
            "address",
            "website",
            "description",
            "activity_fields",
            "publish_consent",
            "status",
            "status_reason",
            "applied_on",
            "approved_on",
            "rejected_on",
            "withdrawn_on",
            "receipt_number",
        ]
        export_order = fields

    def get_queryset(self):
        return Organization.objects.select_related(
            "steering_category", "general_type", "municipality"
        ).prefetch_related("activity_fields")

    def before_import_row(self, row, **kwargs):
        # Normalise only: width and spaces of names, kana to hiragana.
        if row.get("団体名"):
            row["団体名"] = " ".join(str(row["団体名"]).replace("\u3000", " ").split())
        if row.get("よみがな"):
            row["よみがな"] = rules.kana_key(str(row["よみがな"]))

    def before_save_instance(self, instance, row, **kwargs):
        instance.name_key = rules.name_key(instance.name)
        if not instance.legal_form:
            instance.legal_form = rules.legal_form_of(instance.name)
        stored = dict.fromkeys(STATUS_FIELDS) | {"status": Organization.Status.PENDING, "status_reason": ""}
        if instance.pk:
            stored = Organization.objects.filter(pk=instance.pk).values(*STATUS_FIELDS).get()
        instance._wanted_status = None
        if instance.status != stored["status"]:
            instance._wanted_status = {name: getattr(instance, name) for name in STATUS_FIELDS}
            for name in STATUS_FIELDS:
                if name != "applied_on" or instance.pk:
                    setattr(instance, name, stored[name])
            if not instance.pk and instance.applied_on is None:
                # A member imported without 申請日 applied no later than its decision.
                wanted = instance._wanted_status
                instance.applied_on = wanted["approved_on"] or wanted["rejected_on"]

    def save_instance(self, instance, is_create, row, **kwargs):
        self._actor = kwargs.get("user") or "import"
        super().save_instance(instance, is_create, row, **kwargs)

    def do_instance_save(self, instance, is_create):
        if not is_create:
            super().do_instance_save(instance, is_create)
            return
        # A new row is an application like a self-registration: receipt number, 申請日, audit entry.
        services.organization_import(actor=self._actor, organization=instance)

    def after_save_instance(self, instance, row, **kwargs):
        wanted = getattr(instance, "_wanted_status", None)
        if not wanted:
            return
        actor = kwargs.get("user") or "import"
        reason = wanted["status_reason"] or ""
        Status = Organization.Status
        if wanted["status"] in (Status.APPROVED, Status.WITHDRAWN) and instance.status != Status.APPROVED:
            instance = services.organization_approve(
                actor=actor, organization=instance, reason=reason, on=wanted["approved_on"]
            )
        if wanted["status"] == Status.WITHDRAWN:
            services.organization_withdraw(actor=actor, organization=instance, reason=reason, on=wanted["withdrawn_on"])
        elif wanted["status"] == Status.REJECTED:
            services.organization_reject(actor=actor, organization=instance, reason=reason, on=wanted["rejected_on"])
        elif wanted["status"] == Status.PENDING:
            raise ValidationError(
                _("%(name)s cannot move from %(status)s to %(target)s.")
                % {"name": instance.name, "status": instance.get_status_display(), "target": Status.PENDING.label},
                code="illegal_transition",
            )

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        if instance.website and not has_web_scheme(instance.website):
            errors.setdefault("website", []).append(_("Enter an address starting with https:// or http://."))
        super().validate_instance(instance, errors, validate_unique)


class ContactPersonResource(PortalResource):
    """Contact persons by (organisation name, person name). Personal data: export needs its own permission."""

    organization = fields.Field(
        attribute="organization", column_name="団体名", widget=CachedForeignKeyWidget(Organization, "name")
    )
    name = fields.Field(attribute="name", column_name="氏名")
    role = fields.Field(attribute="role", column_name="役職")
    email = fields.Field(attribute="email", column_name="メールアドレス")
    phone = fields.Field(attribute="phone", column_name="電話番号")
    is_primary = fields.Field(attribute="is_primary", column_name="主担当", widget=YesNoWidget())

    class Meta(PortalResource.Meta):
        model = ContactPerson
        import_id_fields = ["organization", "name"]
        fields = ["organization", "name", "role", "email", "phone", "is_primary"]
        export_order = fields

    def get_queryset(self):
        return ContactPerson.objects.select_related("organization")

    def before_import_row(self, row, **kwargs):
        if row.get("メールアドレス"):
            row["メールアドレス"] = rules.email_key(str(row["メールアドレス"]))
        if row.get("電話番号"):
            row["電話番号"] = rules.normalize_phone(str(row["電話番号"]))
        if row.get("氏名"):
            row["氏名"] = " ".join(str(row["氏名"]).replace("\u3000", " ").split())

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        if instance.phone and not rules.is_valid_phone(instance.phone):
            errors.setdefault("phone", []).append(_("Enter a phone number such as 0857-26-7000."))
        super().validate_instance(instance, errors, validate_unique)
