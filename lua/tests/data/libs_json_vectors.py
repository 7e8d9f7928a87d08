#!/usr/bin/env python3
"""Generates libs_json_vectors.tsv from redis-server 7.0.15:
   python3 libs_json_vectors.py [PORT] > libs_json_vectors.tsv
Random JSON texts (valid, mutated, odd numbers, escapes, nesting) go through
one EVAL; for each, the columns are the input (hex), then
cjson.encode(cjson.decode(x)) and cmsgpack.pack(cjson.decode(x)) (hex), or
"err <message>" for each."""
import random, subprocess, sys

port = sys.argv[1] if len(sys.argv) > 1 else "7391"
rnd = random.Random(2024)
WORDS = ["a", "b", "key", "x y", "", "\\u00e9", "\\ud83d\\ude00", "\\n\\t\\\"", "\\/", "é", "1", "null"]
NUMS = ["0", "-0", "1", "-1", "1.5", "1e3", "1E-3", "123456789012345678", "0.1", "1e400", "-1e-400", "3.14159265358979",
        "0x1F", "+1", "01", "1.", ".5", "-", "Infinity", "-Infinity", "NaN", "nan", "inf", "1e", "2.5e+2"]

def value(depth):
    r = rnd.random()
    if depth > 4 or r < 0.35:
        return rnd.choice([rnd.choice(NUMS), '"%s"' % rnd.choice(WORDS), "true", "false", "null"])
    if r < 0.65:
        return "[" + ",".join(value(depth + 1) for _ in range(rnd.randint(0, 4))) + "]"
    return "{" + ",".join('"%s":%s' % (rnd.choice(WORDS), value(depth + 1)) for _ in range(rnd.randint(0, 4))) + "}"

def mutate(s):
    s = list(s)
    for _ in range(rnd.randint(1, 3)):
        op = rnd.randint(0, 2)
        if op == 0 and s:
            del s[rnd.randrange(len(s))]
        elif op == 1:
            s.insert(rnd.randint(0, len(s)), rnd.choice(list('[]{}:,"\\ \t\n0e-.atfn\x00')))
        elif s:
            s[rnd.randrange(len(s))] = rnd.choice(list('[]{}:,"\\ 0e'))
    return "".join(s)

docs = []
for i in range(2500):
    d = value(0)
    if rnd.random() < 0.3:
        d = mutate(d)
    if rnd.random() < 0.1:
        d = " \t\n" + d + "\r\n "
    docs.append(d.encode("utf-8", "surrogatepass"))

script = r"""
local function hex(s) return (s:gsub(".", function(c) return string.format("%02x", c:byte()) end)) end
local function unhex(h) return (h:gsub("..", function(x) return string.char(tonumber(x, 16)) end)) end
local out = {}
for i = 1, #ARGV do
  local doc = unhex(ARGV[i])
  local ok, v = pcall(cjson.decode, doc)
  local a, b
  if not ok then a = "err " .. v; b = a else
    local ok2, e = pcall(cjson.encode, v)
    a = ok2 and hex(e) or ("err " .. e)
    local ok3, m = pcall(cmsgpack.pack, v)
    b = ok3 and hex(m) or ("err " .. m)
  end
  out[#out + 1] = ARGV[i] .. "\t" .. a .. "\t" .. b
end
return table.concat(out, "\n")
"""
subprocess.run(["redis-cli", "-p", port, "SCRIPT", "FLUSH"], check=True, capture_output=True)
res = subprocess.run(["redis-cli", "-p", port, "--raw", "EVAL", script, "0"] + [d.hex() for d in docs], check=True, capture_output=True)
sys.stdout.buffer.write(res.stdout)
