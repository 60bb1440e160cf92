"""G-code uploads go straight to a temporary file on disk, with a size limit.

Django's default handlers keep small uploads in memory and write big ones to disk without
any limit. This handler always writes to disk, and past `GCODE_MAX_BYTES` it deletes what it
wrote and stops reading the upload: nothing of a refused file stays behind.
"""

from django.conf import settings
from django.core.files.uploadhandler import StopUpload, TemporaryFileUploadHandler


class GcodeUploadHandler(TemporaryFileUploadHandler):
    def __init__(self, request=None):
        super().__init__(request)
        self.received = 0
        self.too_large = False

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > settings.GCODE_MAX_BYTES:
            self.file.close()  # a NamedTemporaryFile: closing deletes it
            self._refuse()
        return super().receive_data_chunk(raw_data, start)

    def _refuse(self):
        self.too_large = True
        if self.request is not None:
            self.request.gcode_upload_too_large = True
        raise StopUpload(connection_reset=False)
