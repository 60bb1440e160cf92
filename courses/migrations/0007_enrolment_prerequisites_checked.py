from django.db import migrations, models


def mark_enrolments_without_prerequisites(apps, schema_editor):
    """An enrolment in a course with no prerequisite could not have skipped a check: mark
    it, so it costs no extra query. The others stay unmarked and open their course only
    while the prerequisites are complete (`courses.selectors.enrolment_exists`)."""
    Enrolment = apps.get_model("courses", "Enrolment")
    CoursePage = apps.get_model("courses", "CoursePage")
    with_prerequisites = CoursePage.objects.filter(prerequisites__isnull=False).values("pk")
    Enrolment.objects.exclude(course__in=with_prerequisites).update(prerequisites_checked=True)


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0006_merge_topics_and_url_path_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="enrolment",
            name="prerequisites_checked",
            field=models.BooleanField(default=False, verbose_name="prerequisites checked"),
        ),
        migrations.RunPython(mark_enrolments_without_prerequisites, migrations.RunPython.noop),
    ]
