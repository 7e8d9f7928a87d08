-- globals and environments
x = 10
print(x, _G.x, _G._G == _G, _VERSION)
_G.y = 20
print(y)
local env = {print = print}
local f = loadstring("z = 5; print(z)")
setfenv(f, env)
f()
print(z, env.z)
print(getfenv(f) == env, getfenv(print) == _G, getfenv() == _G, getfenv(0) == _G)
local function lvl() return getfenv(1) end
print(lvl() == _G)
-- multiple assignment evaluation order
local a, b, c = (function() return 1, 2, 3 end)()
print(a, b, c)
local t = {}
local i = 1
i, t[i] = i + 1, 20
print(i, t[1], t[2])
local p, q = 1
print(p, q)
-- swap
local m, n = 1, 2
m, n = n, m
print(m, n)
-- and/or
print(nil or "d", false or nil, 1 and 2, nil and 1, false == nil, 0 and "zero")
print(1 and nil or "x")
-- string escapes
print("tab\tnew\\n", 'q"uote', "\65\066\x", "\0" == "\0", #"\0abc")
print([[long
string]], [==[with ]] inside]==])
-- comments --[[ block ]] ok
--[==[
multi
]==]
print("after comments")
-- nested functions and varargs in table constructors
local function pack(...) return {n = select('#', ...), ...} end
local pk = pack(1, nil, 3)
print(pk.n, pk[1], pk[2], pk[3])
-- method definitions
local obj = {v = 0}
function obj:inc(d) self.v = self.v + (d or 1); return self end
obj:inc():inc(5)
print(obj.v)
local ns = {sub = {}}
function ns.sub.f(a) return a * 2 end
print(ns.sub.f(21))
-- long concat chains
local parts = "a" .. "b" .. 1 .. 2 .. "c" .. 3.5
print(parts)
-- do blocks and shadowing
local sh = 1
do local sh = 2; print(sh) end
print(sh)
-- rawequal/rawlen-ish
print(rawequal("a", "a"), rawequal({}, {}), rawequal(1, 1.0))
-- select with negative
print(select(-1, 1, 2, 3))
-- collectgarbage
print(type(collectgarbage("count")), collectgarbage("step"), collectgarbage())
print(pcall(collectgarbage, "bogus"))
-- unpack with nil holes
print(unpack({1, nil, 3}, 1, 3))
-- tostring of -0
print(-0, 0 * -1, tostring(-0.0))
-- integer-like float keys
local ft = {}
ft[1] = "a"; ft[1.5] = "b"; ft["1"] = "c"
print(ft[1], ft[1.5], ft["1"], ft[1.0])
-- deep nesting of tables
local deep = {}
local cur = deep
for k = 1, 50 do cur.next = {k = k}; cur = cur.next end
print(deep.next.next.next.k)
-- string comparison with embedded zeros
print("a\0b" < "a\0c", "a" < "a\0", "" == "")
-- goto-less loops with break in nested
for oi = 1, 3 do
  for oj = 1, 3 do
    if oj == 2 then break end
    print(oi, oj)
  end
end
-- load with reader function
local chunks = {"return ", "1 + ", "2"}
local ci = 0
local lf = load(function() ci = ci + 1; return chunks[ci] end)
print(lf())
print(type(load(function() return nil end)))
print(pcall(load, function() return {} end))
print(loadstring("return ...", "=va")(7, 8))
print(next({}, nil))
print(pcall(getfenv, -1))
print(pcall(setfenv, 1, 1))
