"""The push socket: against a real OctoPrint, and its buffered reads on a real socket pair."""

import socket
import time

from practicals.octoprint.push import PushSocket, _BufferedSocket


def test_a_real_octoprints_push_socket_says_connected_then_its_state(virtual_printer):
    push = PushSocket(url=virtual_printer.url, api_key=virtual_printer.api_key)
    try:
        messages = []
        deadline = time.monotonic() + 30
        while not any("current" in m for m in messages) and time.monotonic() < deadline:
            message = push.receive(timeout=2)
            if message:
                messages.append(message)
    finally:
        push.close()
    assert "connected" in messages[0]
    current = next(m["current"] for m in messages if "current" in m)
    assert current["state"]["text"]  # e.g. "Operational"
    assert "temps" in current and "progress" in current


class _Counting:
    """A socket that counts the reads asked of it."""

    def __init__(self, sock):
        self.sock = sock
        self.reads = 0

    def recv(self, bufsize):
        self.reads += 1
        return self.sock.recv(bufsize)


def test_small_reads_are_served_from_one_read_of_the_connection():
    left, right = socket.socketpair()
    with left, right:
        right.sendall(b"\x81\x05hello\x81\x03abc")  # two frames, as they come in one packet
        counting = _Counting(left)
        buffered = _BufferedSocket(counting)
        reads = [buffered.recv(2), buffered.recv(5), buffered.recv(2), buffered.recv(3)]
        assert reads == [b"\x81\x05", b"hello", b"\x81\x03", b"abc"]
        assert counting.reads == 1

        right.sendall(b"xyz")
        assert buffered.recv(2) == b"xy" and buffered.recv(5) == b"z"  # never more than asked
        right.close()
        assert buffered.recv(2) == b""  # the end of the connection comes through as is
        assert counting.reads == 3
