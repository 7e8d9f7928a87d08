#!/usr/bin/env python3
"""Generates libs_struct_vectors.tsv from redis-server 7.0.15:
   python3 libs_struct_vectors.py [PORT] > libs_struct_vectors.tsv
Random struct formats (endianness, alignment, every option, sizes) with
random numbers and strings; columns: format (hex), arguments (hex of a
";"-separated list, "n<%.17g>" or "s<hex>"), then struct.pack's result
(hex) or "err <message>", and struct.unpack(format, data, pos)'s values
("n<%.17g>" / "s<hex>") for random data, or "err <message>", and
struct.size(format)."""
import random, subprocess, sys

port = sys.argv[1] if len(sys.argv) > 1 else "7391"
rnd = random.Random(31337)
OPTS = ["b", "B", "h", "H", "l", "L", "T", "i", "I", "i1", "I3", "i8", "I9", "i16", "f", "d", "x", "c1", "c3", "c0", "s", " ", "<", ">", "!", "!2", "!4", "!8", "!3", "i33", "y"] + ["b", "h", "i", "d", "c2", "s", "<", ">", "!4", "f", "I"] * 3
NUMS = ["0", "1", "-1", "255", "256", "-129", "65535", "4294967296", "-2147483649", "1e19", "-1e19", "2.5", "-0.0", "1e300", "inf", "nan", "0.1", "9007199254740993"]
STRS = ["", "a", "abc", "hello world", "\x00\x01"]

rows = []
for i in range(2000):
    fmt = "".join(rnd.choice(OPTS) for _ in range(rnd.randint(1, 5)))
    args = []
    for _ in range(rnd.randint(2, 7)):
        if rnd.random() < 0.8:
            args.append("n" + rnd.choice(NUMS))
        else:
            args.append("s" + rnd.choice(STRS).encode().hex())
    data = bytes(rnd.randint(0, 255) if rnd.random() < 0.7 else 0 for _ in range(rnd.randint(0, 60)))
    pos = rnd.choice([1] * 8 + [2, 5, 0, -1, 100])
    rows.append("%s|%s|%s|%d" % (fmt.encode().hex(), ";".join(args).encode().hex(), data.hex(), pos))

script = r"""
local function hex(s) return (s:gsub(".", function(c) return string.format("%02x", c:byte()) end)) end
local function unhex(h) return (h:gsub("..", function(x) return string.char(tonumber(x, 16)) end)) end
local function val(v) if type(v) == "number" then return "n" .. string.format("%.17g", v) else return "s" .. hex(v) end end
local out = {}
for i = 1, #ARGV do
  local f, a, d, pos = ARGV[i]:match("^(%x*)|(%x*)|(%x*)|(-?%d+)$")
  local fmt, data = unhex(f), unhex(d)
  local args = {}
  for item in (unhex(a) .. ";"):gmatch("([^;]*);") do
    if item ~= "" then
      if item:sub(1, 1) == "n" then args[#args + 1] = tonumber(item:sub(2)) else args[#args + 1] = unhex(item:sub(2)) end
    end
  end
  local r = {pcall(struct.pack, fmt, unpack(args))}
  local p = r[1] and hex(r[2]) or ("err " .. r[2])
  r = {pcall(struct.unpack, fmt, data, tonumber(pos))}
  local u
  if r[1] then local t = {} for j = 2, #r do t[#t + 1] = val(r[j]) end u = table.concat(t, ";") else u = "err " .. r[2] end
  r = {pcall(struct.size, fmt)}
  local z = r[1] and tostring(r[2]) or ("err " .. r[2])
  out[#out + 1] = ARGV[i] .. "\t" .. p .. "\t" .. u .. "\t" .. z
end
return table.concat(out, "\n")
"""
subprocess.run(["redis-cli", "-p", port, "SCRIPT", "FLUSH"], check=True, capture_output=True)
res = subprocess.run(["redis-cli", "-p", port, "--raw", "EVAL", script, "0"] + rows, check=True, capture_output=True)
sys.stdout.buffer.write(res.stdout)
