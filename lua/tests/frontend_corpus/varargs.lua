local function a(...) return ... end
local function b(...) return select('#', ...) end
local function c(...) local x, y = ...; return x, y end
local function d(...) local t = {...}; return #t end
local function e(...) return (...) end
local function f(x, ...) return x, ... end
local function g(...) print(...) end
local function h(...) local n = select('#', ...) for i = 1, n do local v = select(i, ...) print(v) end end
local function i(...) return {n = select('#', ...), ...} end
local function j(...) local a, b, c = ..., 1 return a, b, c end
local function k(...) return ..., 1 end
local function l(...) return f(...) end
local function m(...) local arg = ... return arg end
local function n(...) return arg end
local function o(...) x = ... end
local function p(...) x, y = ... end
local function q(...) t.x, t.y = 1, ... end
return a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p, q, ...
