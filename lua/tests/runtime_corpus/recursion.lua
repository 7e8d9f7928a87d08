local depth = 0
local function rec() depth = depth + 1; return 1 + rec() end
local ok, e = pcall(rec)
print(ok, e)
print(depth > 1000)
-- tail calls do not grow the stack
local function loop(n) if n == 0 then return "done" end return loop(n - 1) end
print(loop(100000))
local function a(n) if n == 0 then return "a" end return (function(m) return a(m) end)(n - 1) end
print(pcall(a, 100))
-- mutual recursion
local even, odd
function even(n) if n == 0 then return true end return odd(n - 1) end
function odd(n) if n == 0 then return false end return even(n - 1) end
print(even(10000), odd(7))
-- stack overflow again after recovery
depth = 0
print(pcall(rec))
-- deep pcall nesting
local function nest(n) if n == 0 then return "bottom" end return select(2, pcall(nest, n - 1)) end
print(nest(100))
print(nest(250))
-- string.rep in recursion
local function build(n) if n == 0 then return "" end return build(n - 1) .. n end
print(build(50))
-- metamethod recursion
local mt = {}
mt.__index = function(t, k) if k > 0 then return t[k - 1] + 1 end return 0 end
local m = setmetatable({}, mt)
print(m[50])
print(pcall(function() return m[300] end))
