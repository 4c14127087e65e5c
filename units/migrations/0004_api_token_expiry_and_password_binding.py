"""API tokens expire and are bound to their owner's password.

Existing tokens keep working: each expires API_TOKEN_LIFETIME_DAYS after it was created
and is bound to its owner's current password.
"""

import hashlib
from datetime import timedelta

from django.conf import settings
from django.db import migrations, models


def bind_existing_tokens(apps, schema_editor):
    ApiToken = apps.get_model("units", "ApiToken")
    lifetime = timedelta(days=settings.API_TOKEN_LIFETIME_DAYS)
    for token in ApiToken.objects.select_related("user").iterator():
        token.expires_at = token.created_at + lifetime
        # The same digest as units.authentication.password_fingerprint.
        token.password_fingerprint = hashlib.sha256(token.user.password.encode()).hexdigest()
        token.save(update_fields=["expires_at", "password_fingerprint"])


class Migration(migrations.Migration):
    dependencies = [
        ("units", "0003_notification_deliveries"),
    ]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(null=True, verbose_name="hết hạn lúc"),
        ),
        migrations.AddField(
            model_name="apitoken",
            name="password_fingerprint",
            field=models.CharField(default="", editable=False, max_length=64),
            preserve_default=False,
        ),
        migrations.RunPython(bind_existing_tokens, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(verbose_name="hết hạn lúc"),
        ),
        migrations.AddIndex(
            model_name="apitoken",
            index=models.Index(fields=["user", "-created_at"], name="units_apitoken_owner"),
        ),
    ]
