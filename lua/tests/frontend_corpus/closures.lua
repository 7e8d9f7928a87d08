local a = 1
local function f(x, y)
  local b = a + x
  return function(z)
    a = a + z + b + y
    return function() return a, b, x end
  end
end
function g(...)
  local t = {...}
  return select('#', ...), ...
end
function obj:method(a, b)
  return self.x + a + b
end
function obj.field.sub(a) return a end
local function fact(n) if n <= 1 then return 1 end return n * fact(n - 1) end
local h = function(...) local arg = arg; return arg end
local k = function(a, ...) return ... end
local function noargs() end
return f, g, fact, h, k
