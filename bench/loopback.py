"""Raw TCP throughput over 127.0.0.1: the most any upload to a loopback endpoint could reach on
this machine, printed beside the uploads."""

from __future__ import annotations

import socket
import threading
import time

CHUNK = 1024 * 1024


def loopback_mb_per_s(total_bytes: int) -> float:
    """Send ``total_bytes`` from one thread to another over a loopback TCP connection."""
    with socket.create_server(("127.0.0.1", 0)) as listener:
        port = listener.getsockname()[1]
        received = 0

        def receive() -> None:
            nonlocal received
            connection, _ = listener.accept()
            with connection:
                buffer = bytearray(CHUNK)
                while count := connection.recv_into(buffer):
                    received += count

        receiver = threading.Thread(target=receive)
        receiver.start()
        payload = memoryview(bytes(CHUNK))
        with socket.create_connection(("127.0.0.1", port)) as sender:
            started = time.perf_counter()
            for _ in range(total_bytes // CHUNK):
                sender.sendall(payload)
        receiver.join()
        elapsed = time.perf_counter() - started
    return received / elapsed / 1e6
