#!/usr/bin/env python3
"""MULTI/SET/EXEC transactions against a RESP server, the same client for
redlet and redis-server (redis-benchmark cannot pair MULTI with EXEC).

    bench/multi_exec.py PORT [TRANSACTIONS] [CLIENTS] [PIPELINE]

CLIENTS connections each keep PIPELINE transactions in flight (sent as one
write); the replies are fixed bytes, so the client only counts them and
its own cost per transaction stays small. Prints transactions per second.
"""
import selectors
import socket
import sys
import time


def cmd(*args):
    out = b"*%d\r\n" % len(args)
    for a in args:
        out += b"$%d\r\n%s\r\n" % (len(a), a)
    return out


def main():
    port = int(sys.argv[1])
    total = int(sys.argv[2]) if len(sys.argv) > 2 else 200000
    clients = int(sys.argv[3]) if len(sys.argv) > 3 else 50
    pipeline = int(sys.argv[4]) if len(sys.argv) > 4 else 16
    value = b"x" * 3
    sel = selectors.DefaultSelector()
    reply = b"+OK\r\n+QUEUED\r\n*1\r\n+OK\r\n"
    want = len(reply) * pipeline
    conns = []
    for i in range(clients):
        s = socket.create_connection(("127.0.0.1", port))
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        key = b"tx:%d" % i
        batch = (cmd(b"MULTI") + cmd(b"SET", key, value) + cmd(b"EXEC")) * pipeline
        conns.append([s, batch, 0])
    # Check the reply shape once, before timing.
    s, batch, _ = conns[0]
    s.sendall(batch)
    got = b""
    while len(got) < want:
        got += s.recv(65536)
    if got != reply * pipeline:
        sys.exit("unexpected reply: %r" % got[:200])
    sent = 0
    done = 0
    start = time.perf_counter()
    for c in conns:
        if sent < total:
            c[0].setblocking(False)
            c[0].sendall(c[1])
            sent += pipeline
            sel.register(c[0], selectors.EVENT_READ, c)
    while done < sent:
        for k, _ in sel.select():
            c = k.data
            n = len(c[0].recv(262144))
            if n == 0:
                sys.exit("connection closed")
            c[2] += n
            while c[2] >= want:
                c[2] -= want
                done += pipeline
                if sent < total:
                    c[0].setblocking(True)
                    c[0].sendall(c[1])
                    c[0].setblocking(False)
                    sent += pipeline
    elapsed = time.perf_counter() - start
    print("%.2f" % (done / elapsed))


if __name__ == "__main__":
    main()
