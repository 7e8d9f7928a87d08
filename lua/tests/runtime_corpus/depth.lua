-- The depth at which "stack overflow" strikes follows 5.1's CallInfo growth
-- (first at ~16380 frames, later at ~20000). The main chunk sits one frame
-- lower in lua5.1's standalone interpreter than in Redis (and here), so main
-- thread counts are compared with that offset; coroutines start alike.
local n = 0
local function f() n = n + 1; f() end
print(pcall(f))
print(n == 16380 or n == 16381)
n = 0
print(pcall(f))
print(n == 19996 or n == 19997)
local m = 0
local function g() m = m + 1; return 1 + g() end
print(pcall(g))
print(m == 19996 or m == 19997)
local co = coroutine.create(function() local k = 0 local function h() k = k + 1 h() end local ok, e = pcall(h) return k, e end)
print(coroutine.resume(co))
