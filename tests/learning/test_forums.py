from django.urls import reverse

from casereview.learning.models import Forum, LibraryEntry

from . import factories as f


def test_forum_from_plan_to_action_plan_in_the_browser(world, as_user):
    themes = f.themes(world)
    rev = f.review(world)
    client = as_user(world.manager)
    page = client.post(reverse("learning:forum_create"), {"title": "Hidden men", "origin": "review_findings",
                                                          "themes": [themes["A10"].pk]}).content.decode()
    assert "Choose the review the theme came from" in page
    response = client.post(reverse("learning:forum_create"), {
        "title": "Hidden men", "origin": "review_findings", "origin_review": rev.pk, "themes": [themes["A10"].pk]})
    forum = Forum.objects.get(title="Hidden men")
    assert response.url == reverse("learning:forum_detail", args=[forum.pk])
    client.post(reverse("learning:forum_session_add", args=[forum.pk]), {
        "held_on_0": "12", "held_on_1": "2", "held_on_2": "2025", "format": "In person"})
    session = forum.sessions.get()
    url = reverse("learning:forum_attendance", args=[forum.pk, session.pk])
    assert "must be 0 or more" in client.post(url, {f"agency_{world.agency_a.pk}": "-2"}).content.decode()
    client.post(url, {f"agency_{world.agency_a.pk}": "5", f"agency_{world.agency_b.pk}": "3"})
    assert session.total_attendance() == 8
    response = client.post(reverse("learning:forum_close", args=[forum.pk]), follow=True)
    assert "Record at least one session and one output" in response.content.decode()
    client.post(reverse("learning:forum_output_add", args=[forum.pk]), {
        "kind": "learning", "text": "Ask about every adult in the household at every contact."})
    entry = LibraryEntry.objects.get(kind="forum_output")
    assert set(entry.agencies.all()) == {world.agency_a, world.agency_b} and entry.year == 2025
    page = client.get(reverse("learning:forum_detail", args=[forum.pk])).content.decode()
    assert "Testshire Police" in page and "Ask about every adult" in page and "(8 attending)" in page
    response = client.post(reverse("learning:forum_plan", args=[forum.pk]))
    from casereview.actions.models import ActionPlan

    plan = ActionPlan.objects.get(source_type="forum", source_id=str(forum.pk))
    assert response.url == reverse("actions:plan_detail", args=[plan.pk])
    assert plan.recommendations.get().text == "Ask about every adult in the household at every contact."
    # A second press goes to the same plan rather than opening another.
    assert client.post(reverse("learning:forum_plan", args=[forum.pk])).url == response.url
    response = client.post(reverse("learning:forum_close", args=[forum.pk]), follow=True)
    assert "Forum closed" in response.content.decode()
    page = client.get(reverse("learning:forum_detail", args=[forum.pk])).content.decode()
    assert "Add a session" not in page


def test_editing_a_forum_starts_from_what_it_says_and_a_closed_forum_cannot_change(world, as_user):
    from casereview.learning.forums import services

    forum = f.forum(world)
    client = as_user(world.manager)
    url = reverse("learning:forum_edit", args=[forum.pk])
    page = client.get(url).content.decode()
    assert 'value="Hidden men"' in page
    response = client.post(url, {"title": "Hidden and unseen men", "origin": "national_guidance",
                                 "themes": [t.pk for t in forum.themes.all()]})
    assert response.status_code == 302
    assert Forum.objects.get(pk=forum.pk).title == "Hidden and unseen men"
    from datetime import date

    services.forum_session_add(by=world.manager, forum=forum, held_on=date(2025, 1, 1), format="Online")
    services.forum_output_add(by=world.manager, forum=forum, kind="learning", text="Ask who lives at home.")
    services.forum_close(by=world.manager, forum=forum)
    page = client.post(url, {"title": "Renamed after closing", "origin": "national_guidance"}).content.decode()
    assert "This forum is closed" in page
    assert Forum.objects.get(pk=forum.pk).title == "Hidden and unseen men"
    assert "Edit" not in client.get(reverse("learning:forum_detail", args=[forum.pk])).content.decode().split(
        "Sessions and attendance")[0].split("</h1>")[1]
