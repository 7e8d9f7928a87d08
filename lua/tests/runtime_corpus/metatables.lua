local V = {}
V.__index = V
V.__add = function(a, b) return setmetatable({x = a.x + b.x}, V) end
V.__sub = function(a, b) return setmetatable({x = a.x - b.x}, V) end
V.__mul = function(a, b) if type(b) == "number" then return setmetatable({x = a.x * b}, V) end return a.x * b.x end
V.__div = function(a, b) return "div" end
V.__mod = function(a, b) return "mod" end
V.__pow = function(a, b) return "pow" end
V.__unm = function(a) return setmetatable({x = -a.x}, V) end
V.__eq = function(a, b) return a.x == b.x end
V.__lt = function(a, b) return a.x < b.x end
V.__le = function(a, b) return a.x <= b.x end
V.__concat = function(a, b)
  local ax = type(a) == "table" and a.x or a
  local bx = type(b) == "table" and b.x or b
  return ax .. "&" .. bx
end
V.__tostring = function(a) return "V(" .. a.x .. ")" end
V.__call = function(self, y) return self.x + y end
V.__len = function() return 99 end
function V.get(self) return self.x end
local function new(x) return setmetatable({x = x}, V) end
local a, b = new(1), new(2)
print(tostring(a + b), tostring(a - b), a * b, tostring(a * 3), a / b, a % b, a ^ b, tostring(-a))
print(a == b, a == new(1), a ~= new(1), a < b, a <= b, a > b, a >= b)
print(a .. b, a .. "s", "s" .. a, 1 .. a)
print(a(10), a:get(), #a)
print(rawequal(a, new(1)), rawequal(a, a))
-- __index function and table chains
local base = {foo = "basefoo"}
local mid = setmetatable({bar = "midbar"}, {__index = base})
local obj = setmetatable({}, {__index = mid})
print(obj.foo, obj.bar, obj.baz)
local calls = 0
local dyn = setmetatable({}, {__index = function(t, k) calls = calls + 1; return k .. "!" end})
print(dyn.hello, dyn[1], calls)
-- __newindex
local log = {}
local p = setmetatable({}, {__newindex = function(t, k, v) log[#log + 1] = k; rawset(t, k, v * 2) end})
p.a = 1; p.a = 5; p.b = 2
print(p.a, p.b, #log, log[1], log[2])
local store = {}
local q = setmetatable({}, {__newindex = store})
q.z = 3
print(rawget(q, "z"), store.z)
-- __metatable protection
local prot = setmetatable({}, {__metatable = "locked"})
print(getmetatable(prot))
print(pcall(setmetatable, prot, {}))
print(getmetatable("abc").__index == string)
-- rawget/rawset
local r = setmetatable({}, {__index = function() return "dflt" end})
print(r.x, rawget(r, "x"))
rawset(r, "x", 1)
print(r.x)
-- __eq only for same types, different metamethods
local e1 = setmetatable({}, {__eq = function() return true end})
local e2 = setmetatable({}, {__eq = function() return true end})
print(e1 == e2, e1 == e1, e1 == {})
local mt = {__eq = function() return true end}
print(setmetatable({}, mt) == setmetatable({}, mt))
-- __lt fallback for __le
local L = {__lt = function(a, b) return a.v < b.v end}
local l1, l2 = setmetatable({v = 1}, L), setmetatable({v = 2}, L)
print(l1 <= l2, l2 <= l1)
print(pcall(function() return {} < {} end))
print(pcall(function() return 1 < "2" end))
print(pcall(function() return {} <= 1 end))
-- tostring on tables with __tostring returning non-string
print(tostring(setmetatable({}, {__tostring = function() return 42 end})))
-- __index on missing method call
print(pcall(function() local o = {} o:nomethod() end))
