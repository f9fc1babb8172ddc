"""The test and drill TCP proxy (tests/tcp_proxy.py) closes when stopped, even with
forked processes about (the drills' visitors fork while it runs)."""

import glob
import multiprocessing
import os
import socket

import pytest

from tests.tcp_proxy import _SOCKETS, TcpProxy


def holders(port: int) -> list[str]:
    """The processes with a socket on 127.0.0.1:<port>, from /proc: for the failure's
    message, as CI once saw a stopped proxy's port still accept."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(table) as lines:
            for line in list(lines)[1:]:
                fields = line.split()
                if int(fields[1].rsplit(":", 1)[1], 16) == port:
                    inodes.add(f"socket:[{fields[9]}]")
    found = []
    for fd in glob.glob("/proc/[0-9]*/fd/*"):
        try:
            if os.readlink(fd) in inodes:
                pid = fd.split("/")[2]
                with open(f"/proc/{pid}/cmdline") as cmdline:
                    found.append(f"{pid}: {cmdline.read().replace(chr(0), ' ')[:120]}")
        except OSError:
            continue
    return found


def descriptors() -> list[tuple[int, bool]]:
    """The proxies' open sockets in this process, and whether each descriptor is valid."""
    found = []
    for sock in list(_SOCKETS):
        fd = sock.fileno()
        if fd >= 0:
            try:
                os.fstat(fd)
                found.append((fd, True))
            except OSError:
                found.append((fd, False))
    return found


def test_a_stopped_proxy_refuses_connections_though_a_forked_child_lives() -> None:
    proxy = TcpProxy("http://127.0.0.1:9", hang=True)
    proxy.start()
    context = multiprocessing.get_context("fork")
    release = context.Event()
    open_at_fork = descriptors()
    child = context.Process(target=release.wait, args=(30,))
    child.start()
    try:
        proxy.stop()
        try:
            socket.create_connection(("127.0.0.1", proxy.port), timeout=5).close()
        except ConnectionRefusedError:
            pass
        else:
            pytest.fail(
                f"port {proxy.port} accepts after stop(). This process {os.getpid()}, "
                f"the child {child.pid}; sockets at the fork: {open_at_fork}; "
                f"holders: {holders(proxy.port)}"
            )
    finally:
        release.set()
        child.join(timeout=10)
