"""The test and drill TCP proxy (tests/tcp_proxy.py) closes when stopped, even with
forked processes about (the drills' visitors fork while it runs)."""

import multiprocessing
import socket

from tests.tcp_proxy import TcpProxy


def accepts(port: int) -> bool:
    """Whether something listens on the port. A connection to a free port in the
    ephemeral range can land on itself (the kernel picks that port as its own end):
    that is no listener."""
    try:
        sock = socket.create_connection(("127.0.0.1", port), timeout=5)
    except ConnectionRefusedError:
        return False
    with sock:
        return sock.getsockname() != sock.getpeername()


def test_a_stopped_proxy_refuses_connections_though_a_forked_child_lives() -> None:
    proxy = TcpProxy("http://127.0.0.1:9", hang=True)
    proxy.start()
    context = multiprocessing.get_context("fork")
    release = context.Event()
    child = context.Process(target=release.wait, args=(30,))
    child.start()
    try:
        assert accepts(proxy.port)
        proxy.stop()
        assert not accepts(proxy.port)
    finally:
        release.set()
        child.join(timeout=10)
