"""commitments.Contribution becomes PublicComment: a community member's question or feedback on a
commitment, not what someone said at a Big Conversation (conversations.Contribution). A rename:
the table and its rows are kept."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("commitments", "0006_campaign_review"),
    ]

    operations = [
        migrations.RenameModel(old_name="Contribution", new_name="PublicComment"),
        migrations.AlterField(
            model_name="publiccomment",
            name="commitment",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="public_comments",
                to="commitments.commitment",
            ),
        ),
    ]
