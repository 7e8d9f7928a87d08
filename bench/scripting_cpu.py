"""CPU-bound Lua scripts for bench/scripting.sh: runs each script with EVAL
over one connection to the server on PORT and prints `SIDE NAME ms` lines
(wall time of the EVAL round trip, the best of REPEAT runs). The scripts'
results are checked to be equal on both servers by the printed value.

Usage: python3 bench/scripting_cpu.py SIDE PORT [REPEAT]
"""
import socket
import sys
import time

SCRIPTS = {
    "add_1m": "local s = 0 for i = 1, 1000000 do s = s + i end return s",
    "concat_strings": (
        "local t = {} for i = 1, 100000 do t[#t + 1] = tostring(i) end "
        "local s = table.concat(t) local u = '' for i = 1, 5000 do u = u .. 'x' end return #s + #u"
    ),
    "string_format": "local s for i = 1, 100000 do s = string.format('%d:%s:%.2f', i, 'x', i / 3) end return s",
    "cjson_1000": (
        "local t = {} for i = 1, 1000 do t[i] = {id = i, name = 'n' .. i} end "
        "local s for j = 1, 20 do s = cjson.encode(t) local d = cjson.decode(s) end return #s"
    ),
    "fib_25": "local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end return fib(25)",
}


def command(*args):
    out = b"*%d\r\n" % len(args)
    for a in args:
        a = a.encode() if isinstance(a, str) else a
        out += b"$%d\r\n%s\r\n" % (len(a), a)
    return out


def read_reply(f):
    line = f.readline()
    if line[:1] == b"$":
        n = int(line[1:])
        return f.read(n + 2)[:-2]
    return line.strip()


def main():
    side, port = sys.argv[1], int(sys.argv[2])
    repeat = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    s = socket.create_connection(("127.0.0.1", port))
    f = s.makefile("rb")
    for name, script in SCRIPTS.items():
        best = None
        for _ in range(repeat):
            t0 = time.perf_counter()
            s.sendall(command("EVAL", script, "0"))
            reply = read_reply(f)
            ms = (time.perf_counter() - t0) * 1000
            best = ms if best is None else min(best, ms)
        if reply.startswith(b"-"):
            raise SystemExit(f"{side} {name}: {reply.decode()}")
        print(side, name, f"{best:.2f}")


main()
