local co = coroutine.create(function(a, b)
  print("start", a, b)
  local c = coroutine.yield(a + b)
  print("got", c)
  local d, e = coroutine.yield(c * 2)
  print("got2", d, e)
  return "end", 99
end)
print(type(co), coroutine.status(co))
print(coroutine.resume(co, 1, 2))
print(coroutine.status(co))
print(coroutine.resume(co, 10))
print(coroutine.resume(co, "x", "y"))
print(coroutine.status(co))
print(coroutine.resume(co))
-- generators
local function gen(n)
  return coroutine.wrap(function()
    for i = 1, n do coroutine.yield(i) end
  end)
end
for v in gen(5) do io_v = v; print("gen", v) end
-- errors inside coroutines
local bad = coroutine.create(function() local x = nil; return x.y end)
print(coroutine.resume(bad))
print(coroutine.status(bad))
local bad2 = coroutine.create(function() error({code = 7}) end)
local ok, e = coroutine.resume(bad2)
print(ok, type(e), e.code)
print(pcall(coroutine.wrap(function() error("wrapped") end)))
-- status inside
local selfco
selfco = coroutine.create(function()
  print("inside", coroutine.status(selfco), coroutine.running() == selfco)
  coroutine.yield()
end)
coroutine.resume(selfco)
print(coroutine.running())
-- nested coroutines
local outer = coroutine.create(function()
  local inner = coroutine.create(function()
    print("outer status from inner", coroutine.status(outer))
    coroutine.yield("inner1")
    return "inner done"
  end)
  print(coroutine.resume(inner))
  coroutine.yield("outer1")
  print(coroutine.resume(inner))
  print(coroutine.resume(inner))
  return "outer done"
end)
print(coroutine.resume(outer))
print(coroutine.resume(outer))
-- yield across pcall is an error in 5.1
local yp = coroutine.create(function() return pcall(coroutine.yield, 1) end)
print(coroutine.resume(yp))
-- yield outside
print(pcall(coroutine.yield, 1))
-- upvalues shared between coroutine and main
local shared = 0
local sc = coroutine.wrap(function() while true do shared = shared + 1; coroutine.yield(shared) end end)
print(sc(), sc(), shared)
local function mk()
  local local_in_main = 5
  local cw = coroutine.wrap(function() local_in_main = local_in_main + 1; coroutine.yield(); local_in_main = local_in_main * 10 end)
  cw()
  print(local_in_main)
  cw()
  print(local_in_main)
end
mk()
-- closures created in a coroutine over its locals
local getter
local cc = coroutine.create(function()
  local v = 1
  getter = function() return v end
  coroutine.yield()
  v = 2
  coroutine.yield()
  v = 3
end)
coroutine.resume(cc)
print(getter())
coroutine.resume(cc)
print(getter())
coroutine.resume(cc)
print(getter(), coroutine.status(cc))
-- arg checks
print(pcall(coroutine.create, print))
print(pcall(coroutine.resume, 1))
print(pcall(coroutine.status, {}))
-- many values through yield
local mv = coroutine.wrap(function(...) local a = {coroutine.yield(...)} return #a, unpack(a) end)
print(mv(1, 2, 3))
print(mv("a", nil, "c"))
-- producer / consumer
local prod = coroutine.create(function() for _, w in ipairs({"a", "b", "c"}) do coroutine.yield(w) end end)
local acc = {}
while true do
  local ok, w = coroutine.resume(prod)
  if not w then break end
  acc[#acc + 1] = w
end
print(table.concat(acc), coroutine.status(prod))
-- recursion inside coroutine to stack overflow
local deep = coroutine.create(function() local function r() return 1 + r() end return r() end)
print(coroutine.resume(deep))
-- wrap dead
local once = coroutine.wrap(function() return 1 end)
print(once())
print(pcall(once))
-- table.sort comparator cannot yield
local sy = coroutine.create(function() table.sort({3, 2, 1}, function(a, b) coroutine.yield() return a < b end) end)
print(coroutine.resume(sy))
