"""The calendar-feed secret is stored as its SHA-256 digest, like an API token.

Existing plain tokens are replaced by their digests, so every feed URL already handed out
keeps working (the feed looks a URL's token up by its digest). Not reversible: a digest
cannot give the token back, so going back clears the column (those URLs then answer 404
until their owners create new ones).
"""

import hashlib

from django.db import migrations, models


def digest_existing_tokens(apps, schema_editor):
    User = apps.get_model("units", "User")
    for pk, token in User.objects.exclude(calendar_token_digest="").values_list("pk", "calendar_token_digest"):  # nosec B106  # empty means no feed
        # The same digest as units.authentication.token_digest.
        User.objects.filter(pk=pk).update(calendar_token_digest=hashlib.sha256(token.encode()).hexdigest())


def clear_tokens(apps, schema_editor):
    apps.get_model("units", "User").objects.update(calendar_token_digest="")  # nosec B106  # empty means no feed


class Migration(migrations.Migration):
    dependencies = [
        ("units", "0004_api_token_expiry_and_password_binding"),
    ]

    operations = [
        migrations.RenameField(model_name="user", old_name="calendar_token", new_name="calendar_token_digest"),
        migrations.RunPython(digest_existing_tokens, clear_tokens),
    ]
