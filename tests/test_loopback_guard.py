"""The loopback guard itself: anything beyond 127.0.0.0/8 is refused, loopback works."""

import socket
import subprocess
import sys

import pytest

from tests.conftest import guarded_env


def test_guard_refuses_beyond_loopback_in_this_process():
    with pytest.raises(OSError, match="loopback guard"):
        socket.create_connection(("192.0.2.1", 80), timeout=1)
    with pytest.raises(OSError, match="loopback guard"):
        socket.getaddrinfo("example.com", 80)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp, pytest.raises(OSError):
        udp.sendto(b"x", ("198.51.100.7", 53))
    with socket.socket() as srv:
        srv.bind(("127.0.0.1", 0))
        srv.listen(1)
        socket.create_connection(srv.getsockname(), timeout=1).close()


def test_guard_is_on_in_subprocesses():
    code = ("import socket\ntry:\n socket.getaddrinfo('example.org', 443)\n"
            "except OSError as e:\n print(e)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env=guarded_env(), check=True)
    assert "loopback guard" in out.stdout
