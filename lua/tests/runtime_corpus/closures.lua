-- closures and upvalues
local function counter()
  local n = 0
  return function() n = n + 1; return n end
end
local c1, c2 = counter(), counter()
print(c1(), c1(), c1(), c2(), c2())

local fns = {}
for i = 1, 5 do fns[i] = function() return i end end
for i = 1, 5 do io_ = fns[i]() ; print(io_) end

local fs = {}
local j = 0
while j < 3 do
  j = j + 1
  local k = j * 10
  fs[j] = function() k = k + 1; return k end
end
print(fs[1](), fs[1](), fs[2](), fs[3]())

local function shared()
  local x = 0
  local function inc() x = x + 1 end
  local function get() return x end
  return inc, get
end
local inc, get = shared()
inc(); inc()
print(get())

-- upvalue of upvalue
local function outer()
  local a = 1
  return function()
    local b = 2
    return function() a = a + 1; b = b + 1; return a + b end
  end
end
local mid = outer()
local f1, f2 = mid(), mid()
print(f1(), f1(), f2())

-- closures in for-in
local t = {}
for k, v in pairs({a = 1}) do t[#t + 1] = function() return k .. v end end
print(t[1]())

-- recursive local function
local function fact(n) if n <= 1 then return 1 end return n * fact(n - 1) end
print(fact(10), fact(20))

-- fib
local function fib(n) if n < 2 then return n end return fib(n-1) + fib(n-2) end
print(fib(20))

-- nested break and closures in repeat
local r = {}
local i = 0
repeat
  i = i + 1
  local v = i
  r[i] = function() return v end
  if i == 3 then break end
until false
print(r[1](), r[2](), r[3]())
