"""G6 item 7: an oversized upload is refused on its declared size before any of it is read, and reading stops
the moment a file passes the limit, so nothing larger is written to disk."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from casereview.core.uploadhandler import LimitedUploadHandler, UploadTooLarge
from tests.reviews import helpers as h


def test_a_request_declaring_more_than_the_limit_is_refused_unread(world, as_user, settings, tmp_path):
    settings.FILE_UPLOAD_TEMP_DIR = tmp_path
    review = h.make_review(world)
    url = reverse("reviews:version_upload", args=[review.pk])
    response = as_user(world.manager).post(url, {"file": SimpleUploadedFile("r.docx", b"x" * 10)},
                                           CONTENT_LENGTH=str(settings.REQUEST_MAX_BYTES + 1))
    assert response.status_code == 413
    assert "Files must be smaller than 20 MB" in response.text
    assert list(tmp_path.iterdir()) == []


def test_an_upload_over_the_limit_is_refused_with_its_true_size(world, as_user, settings):
    settings.REQUEST_MAX_BYTES = 4096
    review = h.make_review(world)
    url = reverse("reviews:version_upload", args=[review.pk])
    response = as_user(world.manager).post(url, {"file": SimpleUploadedFile("r.docx", b"x" * 10_000)})
    assert response.status_code == 413


def test_the_upload_handler_stops_reading_at_the_limit(settings):
    settings.REQUEST_MAX_BYTES = 1000
    handler = LimitedUploadHandler()
    handler.new_file("file", "big.xlsx", "application/octet-stream", None)
    stream = io.BytesIO(b"y" * 10_000)
    read = 0
    with pytest.raises(UploadTooLarge):
        while chunk := stream.read(256):
            read += len(chunk)
            handler.receive_data_chunk(chunk, read - len(chunk))
    assert read <= 1000 + 256  # stopped within one chunk of the limit, not at the end of the file


def test_the_upload_handler_refuses_a_declared_length_over_the_limit(settings):
    settings.REQUEST_MAX_BYTES = 1000
    with pytest.raises(UploadTooLarge):
        LimitedUploadHandler().handle_raw_input(None, {}, 5000, b"boundary")


def test_a_file_within_the_limit_still_reaches_its_form(world, as_user):
    review = h.make_review(world)
    url = reverse("reviews:version_upload", args=[review.pk])
    response = as_user(world.manager).post(url, {"file": SimpleUploadedFile("notes.txt", b"plain text")})
    assert response.status_code in (200, 302)
