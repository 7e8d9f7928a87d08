local a, b = 1, 2
local function f()
  local c = 3
  local function g()
    local d = 4
    return function()
      a = a + b + c + d
      return a, b, c, d
    end
  end
  return g
end
local t = {}
for i = 1, 3 do
  t[i] = function() return i end
end
for k, v in pairs(t) do
  t[k] = function() return k, v end
end
local i = 0
repeat
  local j = i
  t[#t + 1] = function() return j end
  i = i + 1
until j > 3
repeat local x = 1; f = function() return x end until x == 1
while i > 0 do
  local k = i
  t[k] = function() k = k - 1 return k end
  i = i - 1
  if k == 2 then break end
end
do
  local m = 5
  function gm() return m end
end
local function rec(n) if n > 0 then return rec(n - 1) end return n end
local function outer()
  local x = 1
  local function mid()
    local function inner() x = x + 1; return x end
    return inner
  end
  return mid
end
return f, rec, outer
