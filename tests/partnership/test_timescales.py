from datetime import date

from django.urls import reverse

from casereview.audit.models import AuditEvent


def test_the_manager_switches_the_board_to_the_2018_pack(world, as_user):
    response = as_user(world.manager).post(reverse("partnership:timescales"), {"action": "pack", "pack": "wt-2018"})
    assert response.status_code == 302
    world.board.refresh_from_db()
    assert world.board.rule_pack == "wt-2018"
    assert AuditEvent.objects.get(action="board.rule_pack_changed").detail == {"from": "lscb-2015", "to": "wt-2018"}
    assert "Rapid review" in as_user(world.manager).get(reverse("partnership:timescales")).text


def test_choosing_no_pack_says_what_to_do(world, as_user):
    html = as_user(world.manager).post(reverse("partnership:timescales"), {"action": "pack"}).text
    assert "Choose the timescales the board works to" in html and "govuk-error-summary" in html


def test_a_closure_day_moves_working_day_clocks(world, as_user):
    from casereview.lib.clocks import due_date, get_pack

    as_user(world.manager).post(reverse("partnership:timescales"), {
        "action": "closure", "date_0": "2", "date_1": "4", "date_2": "2024", "reason": "Office move"})
    closures = frozenset(world.board.closure_days.values_list("date", flat=True))
    clock = get_pack("wt-2018").clock("incident-notification")
    assert closures == {date(2024, 4, 2)}
    assert due_date(clock, date(2024, 3, 27), closures) == date(2024, 4, 8)


def test_the_same_closure_day_twice_is_refused(world, as_user):
    client = as_user(world.manager)
    data = {"action": "closure", "date_0": "24", "date_1": "12", "date_2": "2026", "reason": "Office closed"}
    client.post(reverse("partnership:timescales"), data)
    html = client.post(reverse("partnership:timescales"), data).text
    assert "24 December 2026 is already a closure day" in html
    assert world.board.closure_days.count() == 1


def test_an_impossible_closure_date_is_refused(world, as_user):
    html = as_user(world.manager).post(reverse("partnership:timescales"), {
        "action": "closure", "date_0": "30", "date_1": "2", "date_2": "2026", "reason": "x"}).text
    assert "Date must be a real date" in html and not world.board.closure_days.exists()
