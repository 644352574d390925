"""Keys for every ticket write: the operation, and the status and body it answered.

Existing keys were all stored by ``open_ticket_once``: they become ``open_ticket`` keys that
answered 201, with no stored body (a replay shows the ticket as it is now, as before)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("idempotency", "0001_idempotency_keys"),
    ]

    operations = [
        migrations.AddField(
            model_name="idempotencykey",
            name="operation",
            field=models.CharField(default="open_ticket", help_text='What the request did, e.g. "POST /api/v1/tickets/12/take" or "open_ticket".', max_length=200, verbose_name="operation"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="idempotencykey",
            name="status",
            field=models.PositiveSmallIntegerField(default=201, help_text="The HTTP status answered.", verbose_name="status"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="idempotencykey",
            name="response",
            field=models.JSONField(blank=True, help_text="The JSON body answered; empty when the replay shows the ticket as it is now (ticket creation).", null=True, verbose_name="response"),
        ),
        migrations.AlterField(
            model_name="idempotencykey",
            name="ticket",
            field=models.ForeignKey(help_text="The ticket the request opened or acted on.", on_delete=models.deletion.CASCADE, related_name="+", to="tickets.ticket", verbose_name="ticket"),
        ),
    ]
