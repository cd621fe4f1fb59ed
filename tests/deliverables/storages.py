"""A storage backend for the failure tests: Django's file system storage whose disk fills up
on the second file it is asked to save (as a real disk or bucket can)."""

from django.core.files.storage import FileSystemStorage


class DiskFullOnSecondSave(FileSystemStorage):
    saved = 0

    def _save(self, name, content):
        type(self).saved += 1
        if type(self).saved == 2:
            raise OSError(28, "No space left on device")
        return super()._save(name, content)
