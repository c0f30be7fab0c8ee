"""Key the audit chain: every entry from now on is an HMAC with `AUDIT_HMAC_KEY`.

Each existing chain head records that its entries so far keep the unkeyed rule
(`keyed_from_sequence` is the next sequence) and is sealed with the key, so that the
boundary cannot later be moved without it.
"""

from django.conf import settings
from django.db import migrations, models

from audit.hashing import head_seal


def seal_existing_heads(apps, schema_editor):
    AuditChainHead = apps.get_model("audit", "AuditChainHead")
    heads = AuditChainHead.objects.using(schema_editor.connection.alias)
    for head in heads.iterator():
        head.keyed_from_sequence = head.last_sequence + 1
        head.seal = head_seal(
            business_id=head.business_id,
            last_sequence=head.last_sequence,
            last_hash=head.last_hash,
            keyed_from_sequence=head.keyed_from_sequence,
            key=settings.AUDIT_HMAC_KEY,
        )
        head.save(update_fields=["keyed_from_sequence", "seal"])


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0004_audit_index_in_list_order"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditchainhead",
            name="keyed_from_sequence",
            field=models.PositiveBigIntegerField(
                default=1, help_text="The first entry hashed with the audit key."
            ),
        ),
        migrations.AddField(
            model_name="auditchainhead",
            name="seal",
            field=models.CharField(default="", max_length=64),
            preserve_default=False,
        ),
        migrations.RunPython(seal_existing_heads, migrations.RunPython.noop),
    ]
