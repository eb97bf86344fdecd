"""Uploads against the real dev wiki: single requests, chunks through the stash, an interrupted chunked
upload resumed from its filekey, warnings reported, downloads verified by sha1."""

from __future__ import annotations

import hashlib
import os
import uuid

import pytest

from wikitools.api import Credentials, WikiClient
from wikitools.api.results import UploadSession

pytestmark = pytest.mark.wiki


class Interrupted(Exception):
    """Stands for the process being killed between two chunks."""


def versions(client: WikiClient, title: str) -> list[str]:
    answer = client.call({"action": "query", "prop": "imageinfo", "titles": title, "iiprop": "sha1",
                          "iilimit": "max"})  # fmt: skip
    return [v["sha1"] for v in answer["query"]["pages"][0].get("imageinfo", [])]


def test_an_interrupted_chunked_upload_resumes_from_the_stash(wiki, wiki_client, tmp_path):
    data = os.urandom(20 * 2**20)
    path = tmp_path / "big.bin"
    path.write_bytes(data)
    name = f"Big {uuid.uuid4().hex[:8]}.bin"
    sessions: list[UploadSession] = []

    def killed_after_two_chunks(session: UploadSession) -> None:
        sessions.append(session)
        if len(sessions) == 2:
            raise Interrupted

    with pytest.raises(Interrupted):
        wiki_client.upload(name, path, comment="big", text="A big file.", on_chunk=killed_after_two_chunks)
    assert versions(wiki_client, f"File:{name}") == []
    again = WikiClient(wiki.api_url, credentials=Credentials(wiki.bot_username, wiki.bot_password))
    result = again.upload(name, path, comment="big", text="A big file.", resume=sessions[-1])
    assert result.published and result.chunks == 3  # 5 chunks of 4 MiB, 2 already in the stash
    assert versions(again, f"File:{name}") == [hashlib.sha1(data).hexdigest()]  # one version, no duplicate
    (info,) = again.media_info([f"File:{name}"]).values()
    again.download(info, tmp_path / "back.bin")
    assert (tmp_path / "back.bin").read_bytes() == data


def test_warnings_hold_an_upload_back_unless_ignored(wiki_client, tmp_path):
    path = tmp_path / "small.txt"
    path.write_bytes(b"the same bytes " + uuid.uuid4().bytes)
    first, second = f"First {uuid.uuid4().hex[:8]}.txt", f"Second {uuid.uuid4().hex[:8]}.txt"
    assert wiki_client.upload(first, path, text="one").published
    duplicate = wiki_client.upload(second, path, text="two")
    assert not duplicate.published and duplicate.warnings[0].startswith("duplicate")
    assert versions(wiki_client, f"File:{second}") == []
    path.write_bytes(b"new bytes " + uuid.uuid4().bytes)
    held = wiki_client.upload(first, path)
    assert not held.published and held.warnings[0].startswith("exists")
    assert wiki_client.upload(first, path, ignore={"exists"}).published
    assert versions(wiki_client, f"File:{first}")[0] == hashlib.sha1(path.read_bytes()).hexdigest()
