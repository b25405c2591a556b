"""Import and export of the supporter roster (CSV in UTF-8 / BOM / CP932, XLSX), through the shared base.

Columns are Japanese; the natural key is the roster code (名簿番号). Training completion dates
are imported (和暦 such as R7.8.18 or 令和7年8月18日 accepted); status and appointment are
export-only, because they change only through the appointment and status services.
"""

from import_export import fields, widgets

from members.models import Municipality
from platform_portal.importexport import CachedForeignKeyWidget, JapaneseDateWidget, PortalResource
from supporters import services
from supporters.models import Supporter, TrainingCompletion, TrainingCourse

# Empty cells (None in XLSX) are stored as empty text, as the forms do.
TEXT = widgets.CharWidget(allow_blank=True)


class JapaneseBooleanWidget(widgets.BooleanWidget):
    """はい/いいえ (also 1/0, TRUE/FALSE, ○/×) for consent columns."""

    TRUE = {"はい", "1", "true", "yes", "○", "〇", "有"}
    FALSE = {"いいえ", "0", "false", "no", "×", "無", ""}

    def clean(self, value, row=None, **kwargs):
        text = "" if value is None else str(value).strip().lower()
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise ValueError(f"はい または いいえ を入力してください: {value}")

    def render(self, value, obj=None, **kwargs):
        return "はい" if value else "いいえ"


class CourseCompletionField(fields.Field):
    """The completion date of one training course, as a column 「<course> 修了日」."""

    def __init__(self, course: TrainingCourse):
        # A named attribute, so that the import visits the column; save() stashes the date instead.
        super().__init__(
            attribute=f"course_{course.pk}", column_name=f"{course.name} 修了日", widget=JapaneseDateWidget()
        )
        self.course = course

    def get_value(self, instance):
        if instance.pk is None:
            return None
        for completion in instance.trainings.all():
            if completion.course_id == self.course.pk:
                return completion.completed_on
        return None

    def save(self, instance, row, is_m2m=False, **kwargs):
        if self.column_name in row:
            instance._course_dates[self.course.pk] = self.clean(row, **kwargs)


class ExportOnlyField(fields.Field):
    def __init__(self, *, column_name, getter, widget=None):
        super().__init__(attribute=None, column_name=column_name, widget=widget, readonly=True)
        self.getter = getter

    def get_value(self, instance):
        return self.getter(instance)


class SupporterResource(PortalResource):
    roster_code = fields.Field(attribute="roster_code", column_name="名簿番号", widget=TEXT)
    name = fields.Field(attribute="name", column_name="氏名", widget=TEXT)
    kana = fields.Field(attribute="kana", column_name="ふりがな", widget=TEXT)
    municipality = fields.Field(
        attribute="municipality", column_name="市町村", widget=CachedForeignKeyWidget(Municipality, field="name")
    )
    email = fields.Field(attribute="email", column_name="メールアドレス", widget=TEXT)
    phone = fields.Field(attribute="phone", column_name="電話番号", widget=TEXT)
    address = fields.Field(attribute="address", column_name="住所", widget=TEXT)
    affiliation = fields.Field(attribute="affiliation", column_name="所属", widget=TEXT)
    consent_share_with_municipality = fields.Field(
        attribute="consent_share_with_municipality",
        column_name="市町村への情報提供の同意",
        widget=JapaneseBooleanWidget(),
    )
    notes = fields.Field(attribute="notes", column_name="備考", widget=TEXT)
    status = ExportOnlyField(column_name="状況", getter=lambda s: s.get_status_display())
    appointment_number = ExportOnlyField(
        column_name="任命番号",
        getter=lambda s: s.appointment.number if s.appointment_id else None,
        widget=widgets.IntegerWidget(),
    )
    appointed_on = ExportOnlyField(
        column_name="任命日",
        getter=lambda s: s.appointment.appointed_on if s.appointment_id else None,
        widget=JapaneseDateWidget(),
    )

    class Meta(PortalResource.Meta):
        model = Supporter
        import_id_fields = ["roster_code"]
        fields = [
            "roster_code",
            "name",
            "kana",
            "municipality",
            "email",
            "phone",
            "address",
            "affiliation",
            "consent_share_with_municipality",
            "notes",
            "status",
            "appointment_number",
            "appointed_on",
        ]

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.courses = list(TrainingCourse.objects.all())
        for course in self.courses:
            self.fields[f"course_{course.pk}"] = CourseCompletionField(course)

    def get_export_order(self):
        return [*super().get_export_order()]

    def get_queryset(self):
        return Supporter.objects.select_related("municipality", "appointment").prefetch_related("trainings")

    def init_instance(self, row=None):
        instance = super().init_instance(row)
        instance._course_dates = {}
        return instance

    def get_instance(self, instance_loader, row):
        instance = super().get_instance(instance_loader, row)
        if instance is not None:
            instance._course_dates = {}
        return instance

    def skip_row(self, instance, original, row, import_validation_errors=None):
        for course in self.courses:
            new = instance._course_dates.get(course.pk)
            if new is not None and new != CourseCompletionField(course).get_value(original):
                return False
        return super().skip_row(instance, original, row, import_validation_errors)

    def after_save_instance(self, instance, row, **kwargs):
        # A new completion is recorded by the service (its checks and audit entry), as in the admin;
        # a corrected date of a recorded completion is an edit of that row.
        courses = {course.pk: course for course in self.courses}
        for course_pk, completed_on in instance._course_dates.items():
            if completed_on is None:
                continue
            if TrainingCompletion.objects.filter(supporter=instance, course_id=course_pk).update(
                completed_on=completed_on
            ):
                continue
            services.training_completion_record(
                actor=kwargs.get("user") or "import",
                supporter=instance,
                course=courses[course_pk],
                completed_on=completed_on,
            )
