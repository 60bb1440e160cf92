"""Photo uploads of the grading form go to temporary files with a size limit per photo.

A photo past the limit is dropped as it arrives (its temporary file deleted, the rest of its
bytes read and thrown away) and its name recorded on the request, so that the form says
which photo was refused while the rubric and comment typed with it are kept.
"""

from django.core.files.uploadhandler import TemporaryFileUploadHandler

from .photos import max_bytes


class PhotoUploadHandler(TemporaryFileUploadHandler):
    def __init__(self, request=None):
        super().__init__(request)
        if request is not None:
            request.photos_too_large = []
        self.received = 0
        self.refused = False

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0
        self.refused = False

    def receive_data_chunk(self, raw_data, start):
        if self.refused:
            return None
        self.received += len(raw_data)
        if self.received > max_bytes():
            self.file.close()  # a NamedTemporaryFile: closing deletes it
            self.refused = True
            if self.request is not None:
                self.request.photos_too_large.append(self.file_name)
            return None
        return super().receive_data_chunk(raw_data, start)

    def file_complete(self, file_size):
        if self.refused:
            return None
        return super().file_complete(file_size)
