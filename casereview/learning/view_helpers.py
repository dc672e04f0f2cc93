"""Plumbing the learning views share: the one form page, file downloads, the posted data."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = "application/pdf"


def form_page(request, *, form, title, back_url, back_text, button, caption="", intro="", enctype=False):
    return render(request, "learning/form.html", {
        "form": form, "title": title, "caption": caption, "back_url": back_url, "back_text": back_text,
        "button": button, "intro": intro, "enctype": enctype})


def download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def posted(request):
    """The posted data, even when empty (an empty form posted must show its errors, not a blank form)."""
    return request.POST if request.method == "POST" else None


def posted_files(request):
    return request.FILES if request.method == "POST" else None
