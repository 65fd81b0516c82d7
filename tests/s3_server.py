"""An S3-compatible server on this machine for the object-storage tests: moto's server mode
(``moto[server]``, in the test extra), each test root a fresh bucket.

``uri(bucket)`` is what a user passes as ``--artifacts`` / ``--ray-results`` for such a server:
``s3://bucket/prefix?endpoint_override=host:port&scheme=http&region=...``, the query read by
pyarrow.fs (and so by Ray Tune); credentials come from ``AWS_ACCESS_KEY_ID`` /
``AWS_SECRET_ACCESS_KEY`` in the environment, as the AWS SDKs read them."""

from __future__ import annotations

import logging
import uuid

CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "scyc-test",
    "AWS_SECRET_ACCESS_KEY": "scyc-test-secret",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_EC2_METADATA_DISABLED": "true",  # no instance-metadata lookups on a laptop
}


class S3Server:
    def __init__(self, host: str = "127.0.0.1") -> None:
        from moto.server import ThreadedMotoServer

        logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one line per request otherwise
        self._server = ThreadedMotoServer(ip_address=host, port=0, verbose=False)
        self._server.start()
        self.host, self.port = self._server.get_host_and_port()

    def uri(self, bucket: str, prefix: str = "scyc") -> str:
        return (f"s3://{bucket}/{prefix}?endpoint_override={self.host}:{self.port}"
                "&scheme=http&region=us-east-1")  # fmt: skip

    def new_bucket(self) -> str:
        """A fresh empty bucket's name."""
        name = f"scyc-{uuid.uuid4().hex[:12]}"
        self.filesystem().create_dir(name)
        return name

    def filesystem(self):
        """pyarrow's S3FileSystem on this server (to look at or tamper with objects)."""
        from pyarrow import fs

        return fs.S3FileSystem(
            access_key=CREDENTIALS["AWS_ACCESS_KEY_ID"],
            secret_key=CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
            endpoint_override=f"{self.host}:{self.port}",
            scheme="http",
            region="us-east-1",
            allow_bucket_creation=True,
        )

    def objects(self, bucket: str) -> list[str]:
        """Every object key in ``bucket`` (directory markers left out), sorted."""
        from pyarrow import fs

        infos = self.filesystem().get_file_info(fs.FileSelector(bucket, recursive=True))
        return sorted(i.path[len(bucket) + 1 :] for i in infos if i.type == fs.FileType.File)

    def stop(self) -> None:
        self._server.stop()
