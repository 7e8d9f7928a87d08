local a, b, c = 1, 2
local d, e = f()
local g = ...
x, y = y, x
local t = {}
t.x, t.y = 1, 2
a, b, c = (f())
a, b = f(), g()
local i, j
i, t[i] = i + 1, 20
t[i], i = 20, i + 1
a.b.c = 1
a[b][c] = d
local u, v, w = nil
a, b, c, d = 1, ...
x = nil
local n1, n2 = nil, nil
