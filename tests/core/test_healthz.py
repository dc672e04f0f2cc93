from datetime import timedelta

from django.utils import timezone

from casereview.core.models import WorkerHeartbeat


def test_it_reports_a_worker_that_was_never_seen(client, db):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"database": "ok", "worker": "never seen", "status": "degraded"}


def test_it_is_healthy_with_a_recent_heartbeat(client, db):
    WorkerHeartbeat.objects.create(pk=1, seen_at=timezone.now())
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_it_reports_a_stale_worker(client, db):
    WorkerHeartbeat.objects.create(pk=1, seen_at=timezone.now() - timedelta(minutes=10))
    assert client.get("/healthz").json()["worker"] == "stale"


def test_the_heartbeat_task_records_the_worker(db):
    from casereview.core.huey_app import worker_heartbeat

    worker_heartbeat.call_local()
    assert WorkerHeartbeat.objects.filter(pk=1).exists()
