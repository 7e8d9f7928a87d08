local function f(...) return select('#', ...), ... end
print(f())
print(f(nil))
print(f(1, nil, 3))
print(f(nil, nil))
local function g(a, ...) local t = {...} return a, #t, ... end
print(g(1, 2, 3))
print(select(2, "a", "b", "c"))
print(select(-1, "a", "b", "c"))
print(select(-2, "a", "b", "c"))
print(pcall(select, 0, "a"))
print(pcall(select, -5, "a"))
print(select('#'))
print(unpack({1, 2, 3}))
print(unpack({1, 2, 3}, 2))
print(unpack({1, 2, 3}, 2, 5))
print(unpack({}, 1, 0))
print(unpack({1, 2}, -1, 1))
print(pcall(unpack, {}, 1, 1e7))
local function h(...) return ... end
print(h(1, 2, 3), h(4, 5))
print((h(1, 2, 3)))
local t = {h(1, 2), h(3, 4)}
print(#t, t[1], t[2], t[3])
local function k(...)
  local a, b = ...
  return a, b
end
print(k(9))
print(math.max(h(3, 9, 2)))
local function count(...) return select('#', ...) end
print(count(h()))
print(count(h(nil, nil, nil)))
-- old-style arg
function oldstyle(...) return arg and arg.n end
print(oldstyle(1, 2, 3))
local function tail(n, ...) if n == 0 then return ... end return tail(n - 1, n, ...) end
print(tail(5))
print(string.format("%s %s", h("x", "y")))
