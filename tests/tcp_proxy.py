"""A TCP proxy on 127.0.0.1 in front of the shared Elasticsearch node, which tests stop
(open connections reset, port closed) and start again, or that accepts connections and
never answers, like a hung node: the node itself keeps running for other sessions."""

import os
import select
import socket
import struct
import threading
import weakref
from collections.abc import Iterator
from urllib.parse import urlsplit

from search.backends.elasticsearch import connection

POLL = 0.05  # seconds: how often proxy threads look for the stop signal
BUFFER = 65536

# Every proxy's sockets, closed in a forked child (the drills' visitor processes): a
# child holding the listener would keep a "stopped" proxy's port accepting connections,
# and one holding a connection would delay its reset.
_SOCKETS: "weakref.WeakSet[socket.socket]" = weakref.WeakSet()


def _close_in_child() -> None:
    # Each on its own: an error closing one (a socket whose descriptor is already gone)
    # must not leave the rest, a listener among them, open in the child.
    for sock in list(_SOCKETS):
        try:
            sock.close()
        except OSError:
            pass


os.register_at_fork(after_in_child=_close_in_child)


class TcpProxy:
    """Forwards connections to 127.0.0.1:<port> to `target`, or swallows them (`hang`).

    Threads only; stop() closes the port, resets every open connection and returns once
    every thread has ended. start() again listens on the same port.
    """

    def __init__(self, target: str, hang: bool = False) -> None:
        parts = urlsplit(target)
        self.target = (parts.hostname, parts.port)
        self.hang = hang
        self.port = 0
        self._threads: list[threading.Thread] = []
        self._stopping = threading.Event()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        listener = socket.create_server(("127.0.0.1", self.port))  # SO_REUSEADDR on POSIX
        _SOCKETS.add(listener)
        listener.settimeout(POLL)
        self.port = listener.getsockname()[1]
        self._stopping = threading.Event()
        self._threads = [self._thread(self._accept, listener)]

    def stop(self) -> None:
        self._stopping.set()
        # The accept thread first: once it has ended, no connection thread is added.
        for thread in self._threads:
            thread.join(timeout=10)
            assert not thread.is_alive(), "a proxy thread did not stop"

    def _thread(self, target, *args) -> threading.Thread:
        thread = threading.Thread(target=target, args=args, daemon=True)
        thread.start()
        return thread

    def _accept(self, listener: socket.socket) -> None:
        with listener:
            while not self._stopping.is_set():
                try:
                    client, _address = listener.accept()
                except TimeoutError:
                    continue
                _SOCKETS.add(client)
                self._threads.append(self._thread(self._serve, client))

    def _serve(self, client: socket.socket) -> None:
        sockets = [client]
        try:
            if not self.hang:
                sockets.append(socket.create_connection(self.target, timeout=10))
                _SOCKETS.add(sockets[-1])
            while not self._stopping.is_set():
                readable, _, _ = select.select(sockets, [], [], POLL)
                for source in readable:
                    data = source.recv(BUFFER)
                    if not data:
                        return
                    if not self.hang:
                        sockets[1 if source is client else 0].sendall(data)
        except OSError:
            return
        finally:
            for sock in sockets:
                reset(sock)


def reset(sock: socket.socket) -> None:
    """Close with a TCP reset, as a node that dies does, not a polite FIN."""
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    except OSError:
        pass
    sock.close()


def proxy_to(elasticsearch_url: str, settings, hang: bool = False) -> Iterator[TcpProxy]:
    """A started proxy that the search settings point at; stopped at the end."""
    proxy = TcpProxy(elasticsearch_url, hang=hang)
    proxy.start()
    # A new port is a new URL, so a new client (connection.get_client), no pooled connection.
    settings.ELASTICSEARCH_URL = proxy.url
    try:
        yield proxy
    finally:
        proxy.stop()
        connection._client.cache_clear()  # its connections went to the proxy, now gone
