#!/usr/bin/env python3
"""Records Redis's replies for a command script, for redlet's replay tests.

Usage: record.py PORT < commands.txt > expected.txt

Each input line is one command, arguments separated by single spaces. The
server is flushed first. A token `@part+part...` stands for binary bytes:
each part is hex, or `hex*n` for that hex repeated n times. Each output line is the command, a TAB, and the
reply as RESP2 bytes: hex when at most 256 bytes, else `len:<n>:fnv:<hex>`
(64-bit FNV-1a of the reply), so long HLL values stay small in the repo.
"""
import socket
import sys


def fnv1a(b):
    h = 0xcbf29ce484222325
    for c in b:
        h ^= c
        h = (h * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return h


class Conn:
    def __init__(self, port):
        self.s = socket.create_connection(("127.0.0.1", port))
        self.buf = b""

    def need(self, n):
        while len(self.buf) < n:
            d = self.s.recv(1 << 16)
            if not d:
                raise EOFError
            self.buf += d

    def line(self):
        while b"\r\n" not in self.buf:
            d = self.s.recv(1 << 16)
            if not d:
                raise EOFError
            self.buf += d
        i = self.buf.index(b"\r\n")
        return i + 2

    def reply_len(self, off=0):
        """Length of the complete reply starting at buf[off:]."""
        while True:
            try:
                return self._len(off)
            except IndexError:
                d = self.s.recv(1 << 16)
                if not d:
                    raise EOFError
                self.buf += d

    def _len(self, off):
        end = self.buf.index(b"\r\n", off) if b"\r\n" in self.buf[off:] else None
        if end is None:
            raise IndexError
        t = self.buf[off:off + 1]
        hdr = end + 2
        if t in (b"+", b"-", b":"):
            return hdr - off
        n = int(self.buf[off + 1:end])
        if t == b"$":
            if n < 0:
                return hdr - off
            if len(self.buf) < hdr + n + 2:
                raise IndexError
            return hdr + n + 2 - off
        if t == b"*":
            p = hdr
            for _ in range(max(n, 0)):
                p += self._len(p)
            return p - off
        raise ValueError(t)

    def call(self, args):
        out = b"*%d\r\n" % len(args)
        for a in args:
            out += b"$%d\r\n%s\r\n" % (len(a), a)
        self.s.sendall(out)
        n = self.reply_len()
        r, self.buf = self.buf[:n], self.buf[n:]
        return r


def token(t):
    """`@part+part...` is binary: each part is hex, or hex*n repeated."""
    if not t.startswith(b"@"):
        return t
    out = b""
    for part in t[1:].split(b"+"):
        h, _, n = part.partition(b"*")
        out += bytes.fromhex(h.decode()) * (int(n) if n else 1)
    return out


def main():
    c = Conn(int(sys.argv[1]))
    c.call([b"FLUSHALL"])
    c.call([b"CONFIG", b"SET", b"hll-sparse-max-bytes", b"3000"])
    for line in sys.stdin.buffer:
        line = line.rstrip(b"\n")
        if not line:
            continue
        r = c.call([token(t) for t in line.split(b" ")])
        enc = r.hex() if len(r) <= 256 else "len:%d:fnv:%016x" % (len(r), fnv1a(r))
        sys.stdout.write(line.decode() + "\t" + enc + "\n")


if __name__ == "__main__":
    main()
