local a = {}
local b = {1, 2, 3}
local c = {x = 1, y = 2, [3] = 4, ["z"] = 5}
local d = {1, 2, x = 3, 4; 5}
local e = {f()}
local f = {f(), g()}
local g = {...}
local h = {1, ...}
local i = {(f())}
local j = {[1] = 1, [2] = 2, 3}
local k = {{}, {{}}, {x = {y = {}}}}
local l = {a.b, a[1], a:c()}
local m = {nil, true, false}
local n = {x = nil, y = true}
local o = {1, 2, 3,}
local p = {f = function() end}
return a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p
