"""Where uploads are kept: a folder of their own that no URL maps to."""

from django.core.files.storage import FileSystemStorage, Storage, storages


class PrivateStorage(FileSystemStorage):
    """File system storage without URLs, private to the Majlis user (files 0600, folders 0700).

    Uploads are only ever served by `core.uploads.views.upload_response`, behind the caller's
    access check; a URL here would be a way around it.
    """

    def __init__(self, **kwargs: object) -> None:
        kwargs.setdefault("file_permissions_mode", 0o600)
        kwargs.setdefault("directory_permissions_mode", 0o700)
        super().__init__(**kwargs)  # type: ignore[arg-type]

    def url(self, name: str | None) -> str:
        raise ValueError("Uploads have no URL: serve them with core.uploads.views.upload_response")


def uploads_storage() -> Storage:
    return storages["uploads"]
