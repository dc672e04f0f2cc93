"""The board's typology pages (the typology itself lives in ``casereview.typology``)."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from casereview.core.access import allowed_if
from casereview.core.concurrency import version_initial
from casereview.core.errors import ServiceError
from casereview.core.forms import apply_service, refuse
from casereview.typology import services
from casereview.typology.selectors import (
    groups_in_use_for,
    theme_changes_for,
    theme_get_for_user,
    themes_in_use_for,
)

from .. import selectors
from ..forms import ThemeAddForm, ThemeMergeForm, ThemeRenameForm
from ..permissions import can_lead_learning, can_use_library
from ..view_helpers import form_page, posted


@allowed_if(can_use_library)
def typology(request: HttpRequest) -> HttpResponse:
    return render(request, "learning/typology.html", {
        "tree": selectors.typology_tree(request.user), "can_lead": can_lead_learning(request.user),
        "changes": theme_changes_for(request.user)})


@allowed_if(can_lead_learning)
@require_POST
def typology_defaults(request: HttpRequest) -> HttpResponse:
    added = services.typology_seed_default(request.user.board, by=request.user)
    if added:
        messages.success(request, f"Added the default typology: {added} groups and themes")
    else:
        messages.success(request, "The board already has every theme of the default typology")
    return redirect("learning:typology")


@allowed_if(can_lead_learning)
def theme_add(request: HttpRequest) -> HttpResponse:
    form = ThemeAddForm(posted(request), groups=groups_in_use_for(request.user))
    if request.method == "POST" and form.is_valid():
        ok, theme = apply_service(form, services.theme_add, by=request.user, board=request.user.board,
                                  **form.cleaned_data)
        if ok:
            messages.success(request, f"Added {theme.code} {theme.name}")
            return redirect("learning:typology")
    return form_page(request, form=form, title="Add a theme", back_url=reverse("learning:typology"),
                     back_text="Learning typology", button="Add the theme")


@allowed_if(can_use_library)
def theme_detail(request: HttpRequest, theme_id: int) -> HttpResponse:
    theme = theme_get_for_user(request.user, theme_id)
    return render(request, "learning/theme_detail.html", {
        "theme": theme, "tags": services.theme_tag_count(theme), "actions": selectors.theme_actions(request.user, theme),
        "changes": theme.changes.select_related("by"), "merged_from": theme.merged_from.all(),
        "versions": theme.history.select_related("history_user")[:20]})


@allowed_if(can_lead_learning)
def theme_rename(request: HttpRequest, theme_id: int) -> HttpResponse:
    theme = theme_get_for_user(request.user, theme_id)
    form = ThemeRenameForm(posted(request), initial={"name": theme.name, **version_initial(theme)})
    if request.method == "POST" and form.is_valid():
        ok, _ = apply_service(form, services.theme_rename, by=request.user, theme=theme, **form.cleaned_data)
        if ok:
            messages.success(request, f"{theme.code} renamed: everything it tagged shows the new name")
            return redirect("learning:theme_detail", theme_id=theme.pk)
    return form_page(request, form=form, title=f"Rename {theme.code} {theme.name}", button="Rename",
                     back_url=reverse("learning:theme_detail", args=[theme.pk]), back_text=str(theme))


@allowed_if(can_lead_learning)
@require_POST
def theme_retire(request: HttpRequest, theme_id: int) -> HttpResponse:
    theme = theme_get_for_user(request.user, theme_id)
    restoring = bool(request.POST.get("restore"))
    try:
        (services.theme_restore if restoring else services.theme_retire)(by=request.user, theme=theme)
    except ServiceError as error:
        refuse(request, error)
    else:
        messages.success(request, f"{theme.code} {'brought back into use' if restoring else 'retired'}")
    return redirect("learning:theme_detail", theme_id=theme.pk)


@allowed_if(can_lead_learning)
def theme_merge(request: HttpRequest, theme_id: int) -> HttpResponse:
    theme = theme_get_for_user(request.user, theme_id)
    form = ThemeMergeForm(posted(request), targets=themes_in_use_for(request.user).exclude(pk=theme.pk))
    if request.method == "POST" and form.is_valid():
        target = form.cleaned_data["target"]
        ok, moved = apply_service(form, services.theme_merge, by=request.user, source=theme, target=target)
        if ok:
            messages.success(request, f"Merged {theme.code} into {target.code}: {moved} tag"
                                      f"{'s' if moved != 1 else ''} moved")
            return redirect("learning:theme_detail", theme_id=target.pk)
    tagged = services.theme_tag_count(theme)
    return form_page(request, form=form, title=f"Merge {theme.code} {theme.name}", button="Merge",
                     back_url=reverse("learning:theme_detail", args=[theme.pk]), back_text=str(theme),
                     intro=f"{tagged} record{'s are' if tagged != 1 else ' is'} tagged with this theme. Nothing "
                           "is lost: the history of both themes is kept.")
