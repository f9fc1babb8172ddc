"""The test and drill TCP proxy (tests/tcp_proxy.py) closes when stopped, even with
forked processes about (the drills' visitors fork while it runs)."""

import multiprocessing
import socket

import pytest

from tests.tcp_proxy import TcpProxy


def test_a_stopped_proxy_refuses_connections_though_a_forked_child_lives() -> None:
    proxy = TcpProxy("http://127.0.0.1:9", hang=True)
    proxy.start()
    context = multiprocessing.get_context("fork")
    release = context.Event()
    child = context.Process(target=release.wait, args=(30,))
    child.start()
    try:
        proxy.stop()
        with pytest.raises(ConnectionRefusedError):
            socket.create_connection(("127.0.0.1", proxy.port), timeout=5)
    finally:
        release.set()
        child.join(timeout=10)
