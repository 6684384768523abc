import json

from soest_office import health
from soest_office.plugins import HEALTH_CHECKS


def test_healthz_reports_every_service_without_login(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = json.loads(response.content)
    assert body["status"] == "ok"
    assert set(body["checks"]) >= {"database", "cache", "broker"}
    assert all(check["ok"] for check in body["checks"].values())


def test_healthz_is_503_when_a_service_is_unreachable(client, db):
    def broken_cache():
        raise ConnectionError("redis://:geheim@10.1.2.3:6379 refused")

    with HEALTH_CHECKS.replaced(health.HealthCheck(key="cache", check=broken_cache)):
        response = client.get("/healthz")
    assert response.status_code == 503
    body = json.loads(response.content)
    assert body["checks"]["cache"] == {"ok": False, "detail": "ConnectionError"}
    # No secrets or addresses leak into the answer.
    assert "geheim" not in response.content.decode()
    assert "10.1.2.3" not in response.content.decode()


def test_healthz_refuses_post(client, db):
    assert client.post("/healthz").status_code == 405
