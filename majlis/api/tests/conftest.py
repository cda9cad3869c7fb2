from majlis.core.tests.conftest import upload_root

__all__ = ["upload_root"]
