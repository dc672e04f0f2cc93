# Forum and audit actions now go into action plans (casereview.actions.services.plan_create).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('learning', '0003_library_fulltext_index'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='learningaction',
            name='learning_action_has_one_source',
        ),
        migrations.DeleteModel(
            name='HistoricalLearningAction',
        ),
        migrations.DeleteModel(
            name='LearningAction',
        ),
    ]
