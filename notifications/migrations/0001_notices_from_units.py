"""Notices leave units for their own app: the models move, the tables and their rows stay.

State only (SeparateDatabaseAndState): the models are created here with ``db_table`` set to the
tables units made (units_notification, units_notificationdelivery, units_notificationmute), and
units.0007 deletes them from units' state; no table, index or constraint is touched. The content
types (and so the permissions granted on them) are renamed to this app.
"""


import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


MODELS = ("notification", "notificationdelivery", "notificationmute")


def content_types_move(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    types = ContentType.objects.using(schema_editor.connection.alias)
    for model in MODELS:
        if not types.filter(app_label="notifications", model=model).exists():
            types.filter(app_label="units", model=model).update(app_label="notifications")


def content_types_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    types = ContentType.objects.using(schema_editor.connection.alias)
    for model in MODELS:
        if not types.filter(app_label="units", model=model).exists():
            types.filter(app_label="notifications", model=model).update(app_label="units")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("contenttypes", "0002_remove_content_type_name"),
        ("units", "0006_delivery_due_at"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Notification',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(max_length=40, verbose_name='loại')),
                        ('message', models.CharField(max_length=500, verbose_name='nội dung')),
                        ('url', models.CharField(blank=True, max_length=300)),
                        ('body', models.TextField(blank=True, verbose_name='chi tiết')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='lúc')),
                        ('read_at', models.DateTimeField(blank=True, null=True, verbose_name='đã đọc lúc')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notifications', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'thông báo',
                        'verbose_name_plural': 'thông báo',
                        'db_table': 'units_notification',
                        'ordering': ['-created_at', '-id'],
                    },
                ),
                migrations.CreateModel(
                    name='NotificationDelivery',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('channel', models.CharField(max_length=30, verbose_name='kênh')),
                        ('state', models.CharField(choices=[('pending', 'Chờ gửi'), ('sending', 'Đang gửi'), ('sent', 'Đã gửi'), ('failed', 'Gửi lỗi'), ('skipped', 'Bỏ qua')], default='pending', max_length=10, verbose_name='kết quả')),
                        ('attempts', models.PositiveSmallIntegerField(default=0, verbose_name='số lần thử')),
                        ('detail', models.CharField(blank=True, max_length=500, verbose_name='ghi chú')),
                        ('claimed_at', models.DateTimeField(blank=True, null=True)),
                        ('finished_at', models.DateTimeField(blank=True, null=True, verbose_name='lúc')),
                        ('due_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('notification', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='deliveries', to='notifications.notification')),
                    ],
                    options={
                        'verbose_name': 'lượt gửi thông báo',
                        'verbose_name_plural': 'nhật ký gửi thông báo',
                        'db_table': 'units_notificationdelivery',
                        'ordering': ['-id'],
                    },
                ),
                migrations.CreateModel(
                    name='NotificationMute',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(max_length=40)),
                        ('channel', models.CharField(default='email', max_length=30)),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='mutes', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'units_notificationmute',
                    },
                ),
                migrations.AddIndex(
                    model_name='notification',
                    index=models.Index(fields=['user', 'read_at', '-created_at'], name='units_notification_inbox'),
                ),
                migrations.AddIndex(
                    model_name='notification',
                    index=models.Index(fields=['url'], name='units_notification_url'),
                ),
                migrations.AddIndex(
                    model_name='notificationdelivery',
                    index=models.Index(fields=['state', '-id'], name='units_delivery_state'),
                ),
                migrations.AddIndex(
                    model_name='notificationdelivery',
                    index=models.Index(fields=['state', 'due_at'], name='units_delivery_due'),
                ),
                migrations.AddConstraint(
                    model_name='notificationdelivery',
                    constraint=models.UniqueConstraint(fields=('notification', 'channel'), name='units_delivery_once_per_channel'),
                ),
                migrations.AddConstraint(
                    model_name='notificationmute',
                    constraint=models.UniqueConstraint(fields=('user', 'kind', 'channel'), name='units_mute_once'),
                ),
            ],
            database_operations=[migrations.RunPython(content_types_move, content_types_back)],
        ),
    ]
