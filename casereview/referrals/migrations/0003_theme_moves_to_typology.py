# The typology moved from the learning app to its own app; the table behind these tags is unchanged, so only
# Django's model state follows it.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('referrals', '0002_routes_feedback_notified_panel_log'),
        ('typology', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name='decisionmatrix',
                    name='themes',
                    field=models.ManyToManyField(blank=True, related_name='decision_matrices', to='typology.theme'),
                ),
            ],
        ),
    ]
