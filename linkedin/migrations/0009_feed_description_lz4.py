"""On PostgreSQL built with LZ4 (14 and later, as Debian's and the official images are), the
LinkedIn versions of posted jobs' descriptions are compressed with LZ4 rather than pglz: every
daily feed build reads all of them, and LZ4 decompresses several times faster. Values written
before this migration keep pglz until their description is next prepared. Elsewhere (SQLite,
a server without LZ4) nothing changes.
"""

from django.db import migrations

TABLE = "linkedin_linkedinposting"
HAS_LZ4 = (
    "SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY(enumvals)"
)


def _compression(method: str):
    def run(apps, schema_editor):
        connection = schema_editor.connection
        if connection.vendor != "postgresql":
            return
        with connection.cursor() as cursor:
            cursor.execute(HAS_LZ4)
            if cursor.fetchone() is None:
                return
        schema_editor.execute(
            f"ALTER TABLE {TABLE} ALTER COLUMN feed_description SET COMPRESSION {method}"
        )

    return run


class Migration(migrations.Migration):
    dependencies = [("linkedin", "0008_job_posting_tasks")]
    operations = [
        migrations.RunPython(_compression("lz4"), _compression("pglz"), elidable=False),
    ]
