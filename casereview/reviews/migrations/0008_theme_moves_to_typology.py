# The typology moved from the learning app to its own app; the table behind these tags is unchanged, so only
# Django's model state follows it.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('reviews', '0007_court_restriction_kind'),
        ('typology', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name='finding',
                    name='themes',
                    field=models.ManyToManyField(blank=True, related_name='findings', to='typology.theme'),
                ),
            ],
        ),
    ]
