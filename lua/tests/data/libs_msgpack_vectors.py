#!/usr/bin/env python3
"""Generates libs_msgpack_vectors.tsv from redis-server 7.0.15:
   python3 libs_msgpack_vectors.py [PORT] > libs_msgpack_vectors.tsv
Random MessagePack streams (every format, nested, truncated and mutated;
generated map keys are scalars, as C Lua orders table keys by address; the
serialiser sorts the entries of tables that still get table keys)
go through one EVAL; columns: the input (hex), then what
cmsgpack.unpack(x) and cmsgpack.unpack_limit(x, 2, 1) returned, each value
serialised by SERIALISE below (pairs order, %.17g numbers, hex strings), or
"err <message>"."""
import random, struct, subprocess, sys

port = sys.argv[1] if len(sys.argv) > 1 else "7391"
rnd = random.Random(4096)

def s8(n): return struct.pack(">b", n)
def value(depth):
    r = rnd.random()
    if depth > 3 or r < 0.6:
        k = rnd.randint(0, 16)
        if k == 0: return bytes([rnd.randint(0, 127)])
        if k == 1: return s8(rnd.randint(-32, -1))
        if k == 2: return b"\xcc" + bytes([rnd.randint(0, 255)])
        if k == 3: return b"\xcd" + struct.pack(">H", rnd.randint(0, 65535))
        if k == 4: return b"\xce" + struct.pack(">I", rnd.randint(0, 2**32 - 1))
        if k == 5: return b"\xcf" + struct.pack(">Q", rnd.randint(0, 2**64 - 1))
        if k == 6: return b"\xd0" + s8(rnd.randint(-128, 127))
        if k == 7: return b"\xd1" + struct.pack(">h", rnd.randint(-32768, 32767))
        if k == 8: return b"\xd2" + struct.pack(">i", rnd.randint(-2**31, 2**31 - 1))
        if k == 9: return b"\xd3" + struct.pack(">q", rnd.randint(-2**63, 2**63 - 1))
        if k == 10: return b"\xca" + struct.pack(">f", rnd.choice([0.5, -1.25, 3.4e38, 1e-40, float("inf"), float("nan")]))
        if k == 11: return b"\xcb" + struct.pack(">d", rnd.choice([0.1, -2.5e300, 5e-324, float("-inf"), 2.0**70]))
        if k == 12: return rnd.choice([b"\xc0", b"\xc2", b"\xc3"])
        s = bytes(rnd.choice(b"abc\x00\xff") for _ in range(rnd.choice([0, 1, 5, 31, 32, 40])))
        if len(s) < 32 and rnd.random() < 0.7: return bytes([0xa0 | len(s)]) + s
        return rnd.choice([b"\xd9" + bytes([len(s)]), b"\xda" + struct.pack(">H", len(s)), b"\xdb" + struct.pack(">I", len(s))]) + s
    n = rnd.randint(0, 5)
    if r < 0.8:
        hdr = bytes([0x90 | n]) if rnd.random() < 0.7 else rnd.choice([b"\xdc" + struct.pack(">H", n), b"\xdd" + struct.pack(">I", n)])
        return hdr + b"".join(value(depth + 1) for _ in range(n))
    hdr = bytes([0x80 | n]) if rnd.random() < 0.7 else rnd.choice([b"\xde" + struct.pack(">H", n), b"\xdf" + struct.pack(">I", n)])
    # Keys are scalars: C Lua orders table keys by their addresses, which
    # no other implementation (nor two runs of Redis) reproduces.
    return hdr + b"".join(value(99) + value(depth + 1) for _ in range(n))

docs = []
for i in range(2500):
    d = b"".join(value(0) for _ in range(rnd.randint(1, 3)))
    if rnd.random() < 0.3:
        d = bytearray(d)
        for _ in range(rnd.randint(1, 2)):
            op = rnd.randint(0, 2)
            if op == 0 and d: del d[rnd.randrange(len(d)):]
            elif op == 1 and d: d[rnd.randrange(len(d))] = rnd.randint(0, 255)
            else: d.insert(rnd.randint(0, len(d)), rnd.choice([0xc1, 0x91, 0x81, 0xc0, 0xdc]))
        d = bytes(d)
    docs.append(d)

SERIALISE = r"""
local function hex(s) return (s:gsub(".", function(c) return string.format("%02x", c:byte()) end)) end
local function ser(v)
  if type(v) == "table" then
    local t, tablekey = {}, false
    for k, x in pairs(v) do
      if type(k) == "table" then tablekey = true end
      t[#t + 1] = ser(k) .. "=" .. ser(x)
    end
    -- Table keys are ordered by address in C Lua: sort those tables.
    if tablekey then table.sort(t) end
    return "{" .. table.concat(t, ",") .. "}"
  elseif type(v) == "string" then return "s" .. hex(v)
  elseif type(v) == "number" then return string.format("%.17g", v)
  else return tostring(v) end
end
local function all(ok, ...)
  if not ok then return "err " .. tostring((...)) end
  local t = {}
  for i = 1, select("#", ...) do t[i] = ser((select(i, ...))) end
  return "ok " .. table.concat(t, ";")
end
"""
script = SERIALISE + r"""
local function unhex(h) return (h:gsub("..", function(x) return string.char(tonumber(x, 16)) end)) end
local out = {}
for i = 1, #ARGV do
  local doc = unhex(ARGV[i])
  out[#out + 1] = ARGV[i] .. "\t" .. all(pcall(cmsgpack.unpack, doc)) .. "\t" .. all(pcall(cmsgpack.unpack_limit, doc, 2, 1))
end
return table.concat(out, "\n")
"""
if __name__ == "__main__":
    subprocess.run(["redis-cli", "-p", port, "SCRIPT", "FLUSH"], check=True, capture_output=True)
    res = subprocess.run(["redis-cli", "-p", port, "--raw", "EVAL", script, "0"] + [d.hex() for d in docs], check=True, capture_output=True)
    sys.stdout.buffer.write(res.stdout)
