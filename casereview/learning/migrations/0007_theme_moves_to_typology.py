# The typology (themes, their history and the log of changes) moved to the `typology` app. Its tables keep
# their names and rows, and the tag tables keep theirs: only Django's model state changes here.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('learning', '0006_library_stored_tsvector'),
        ('referrals', '0003_theme_moves_to_typology'),
        ('reviews', '0008_theme_moves_to_typology'),
        ('typology', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name='audit',
                    name='themes',
                    field=models.ManyToManyField(blank=True, related_name='audits', to='typology.theme'),
                ),
                migrations.AlterField(
                    model_name='forum',
                    name='themes',
                    field=models.ManyToManyField(blank=True, related_name='forums', to='typology.theme'),
                ),
                migrations.AlterField(
                    model_name='learningsummary',
                    name='themes',
                    field=models.ManyToManyField(blank=True, related_name='summaries', to='typology.theme'),
                ),
                migrations.AlterField(
                    model_name='libraryentry',
                    name='themes',
                    field=models.ManyToManyField(blank=True, related_name='library_entries', to='typology.theme'),
                ),
                migrations.DeleteModel(name='ThemeChange'),
                migrations.DeleteModel(name='HistoricalTheme'),
                migrations.DeleteModel(name='Theme'),
            ],
        ),
    ]
