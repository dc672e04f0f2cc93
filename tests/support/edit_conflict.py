"""Two people open one record's edit form; the first saves; the second's save is refused.

`second_save_is_refused` plays it through the real pages: both people GET the form (the hidden version comes from
what each page rendered), A posts, B posts. It returns B's page so a test can assert more.
"""

import html
import re

from casereview.audit.models import AuditEvent

SUMMARY = re.compile(r'<div class="govuk-error-summary".*?</ul>', re.S)


def version_on(page: str, name: str = "version") -> str:
    found = re.search(rf'name="{re.escape(name)}" value="(\d+)"', page)
    assert found, "the edit form does not carry the version it was opened at"
    return found.group(1)


def changes_written() -> list[tuple[str, str]]:
    """The audit events of changes (views and downloads are not changes)."""
    return list(AuditEvent.objects.exclude(action__endswith="viewed").exclude(action__endswith="downloaded")
                .values_list("action", "object_id").order_by("pk"))


def second_save_is_refused(*, a, b, url: str, a_data: dict, b_data: dict, what: str, post_url: str | None = None,
                           prefix: str = "") -> str:
    """`a` and `b` are signed-in clients; `url` is the page with the form, `post_url` where it posts (when not the
    same), `prefix` the form's prefix. Returns B's refused page (its error summary holds the conflict)."""
    name = f"{prefix}-version" if prefix else "version"
    post_url = post_url or url
    page_a, page_b = a.get(url), b.get(url)
    assert page_a.status_code == page_b.status_code == 200
    version_a, version_b = version_on(page_a.content.decode(), name), version_on(page_b.content.decode(), name)
    assert version_a == version_b

    saved = a.post(post_url, {**a_data, name: version_a})
    assert saved.status_code == 302, saved.content.decode()[:3000]
    after_a = changes_written()

    refused = b.post(post_url, {**b_data, name: version_b})
    page = html.unescape(refused.content.decode())
    assert refused.status_code == 200
    summary = SUMMARY.search(page)
    assert summary, "no error summary on the refused page"
    assert (f"Someone else changed this {what} while you were editing it. Your changes have not been saved: "
            f"reopen the {what} to see the latest version, then make your changes again") in summary.group(0)
    assert changes_written() == after_a, "the refused save wrote an audit event"
    # Reopened, the form carries the version A's save made, so B can now make the change again.
    assert int(version_on(b.get(url).content.decode(), name)) == int(version_a) + 1
    return page
