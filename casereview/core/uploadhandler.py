"""Stop reading an upload at the limit.

`UploadSizeMiddleware` refuses a request whose Content-Length is over `REQUEST_MAX_BYTES` before any byte of
the body is read. This handler, first in FILE_UPLOAD_HANDLERS, counts the bytes of each file as they arrive and
stops the parser the moment one passes the limit, so nothing larger is ever written to disk, whatever the
request declared.
"""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadhandler import FileUploadHandler


class UploadTooLarge(RequestDataTooBig):
    """A file passed the upload limit while it was being read (a 400-class error if nothing catches it)."""


class LimitedUploadHandler(FileUploadHandler):
    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        if content_length and content_length > settings.REQUEST_MAX_BYTES:
            raise UploadTooLarge("The request is larger than the upload limit")
        return None

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > settings.REQUEST_MAX_BYTES:
            raise UploadTooLarge("A file is larger than the upload limit")
        return raw_data  # pass the chunk on to the next handler (memory or temporary file)

    def file_complete(self, file_size):
        return None
