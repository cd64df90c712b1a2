"""The loopback guard: no test, benchmark or demo process may reach beyond 127.0.0.0/8.

Python imports ``sitecustomize`` at start-up when its folder is on PYTHONPATH; the test
suite and the benchmarks put this folder there for every process they start, and the test
process installs it too (tests/conftest.py). Connecting or sending to any address outside
loopback, or resolving any name but localhost through the system, raises instead of leaving
the machine: a leak fails loudly.
"""

from __future__ import annotations

import ipaddress
import socket


def _loopback(host) -> bool:
    if host in ("localhost", "localhost.", "", None):
        return True
    try:
        return ipaddress.ip_address(str(host).split("%")[0]).is_loopback
    except ValueError:
        return False


def _check(address) -> None:
    if isinstance(address, tuple) and not _loopback(address[0]):
        raise OSError(f"loopback guard: refused to reach {address[0]!r} (tests stay on"
                      " 127.0.0.0/8)")


def install() -> None:
    if getattr(socket, "_facade_loopback_guard", False):
        return
    connect, connect_ex, sendto = (socket.socket.connect, socket.socket.connect_ex,
                                   socket.socket.sendto)
    getaddrinfo = socket.getaddrinfo

    def guarded_connect(self, address):
        _check(address)
        return connect(self, address)

    def guarded_connect_ex(self, address):
        _check(address)
        return connect_ex(self, address)

    def guarded_sendto(self, data, *args):
        _check(args[-1])
        return sendto(self, data, *args)

    def guarded_getaddrinfo(host, *args, **kwargs):
        if not _loopback(host):
            raise socket.gaierror(f"loopback guard: refused to resolve {host!r}")
        return getaddrinfo(host, *args, **kwargs)

    socket.socket.connect = guarded_connect
    socket.socket.connect_ex = guarded_connect_ex
    socket.socket.sendto = guarded_sendto
    socket.getaddrinfo = guarded_getaddrinfo
    socket._facade_loopback_guard = True


install()
