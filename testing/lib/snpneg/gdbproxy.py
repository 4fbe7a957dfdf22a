# SPDX-License-Identifier: GPL-2.0
"""A slow line between gdb and QEMU's gdb stub, for the boot stress test.

Forwards one gdb connection to the stub and holds back some of the
stub's replies (each chunk with probability PROB) for DELAY seconds, as
a stub on a loaded machine does when it is not scheduled in time. It
shows that the harness does not depend on how fast QEMU answers.

    port = start(qemu_port, delay=2.5, prob=0.3)   # gdb connects to port
"""

import random
import socket
import threading
import time


def parse(spec):
    """'DELAY:PROB' (seconds, 0..1) as (float, float); ValueError if not."""
    delay, _, prob = spec.partition(":")
    d, p = float(delay), float(prob or 1)
    if d < 0 or not 0 <= p <= 1:
        raise ValueError(f"want DELAY:PROB with DELAY >= 0 and 0 <= PROB <= 1, not {spec!r}")
    return d, p


def _pump(src, dst, delay, prob, rng):
    try:
        while True:
            data = src.recv(65536)
            if not data:
                break
            if delay and rng.random() < prob:
                time.sleep(delay)
            dst.sendall(data)
    except OSError:
        pass
    finally:
        for s in (src, dst):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def start(target_port, delay, prob, seed=0):
    """Listen on a free loopback port for one gdb connection and forward
    it to TARGET_PORT; returns the port. Threads end with the connection."""
    lsock = socket.socket()
    lsock.bind(("127.0.0.1", 0))
    lsock.listen(1)
    rng = random.Random(seed)

    def serve():
        with lsock:
            lsock.settimeout(300)
            try:
                client, _ = lsock.accept()
            except OSError:
                return
        for _ in range(100):
            try:
                stub = socket.create_connection(("127.0.0.1", target_port))
                break
            except OSError:
                time.sleep(0.1)
        else:
            client.close()
            return
        threading.Thread(target=_pump, args=(client, stub, 0, 0, rng), daemon=True).start()
        _pump(stub, client, delay, prob, rng)

    threading.Thread(target=serve, daemon=True).start()
    return lsock.getsockname()[1]
