for i = 1, 10 do print(i) end
for i = 10, 1, -1 do print(i) end
for i = 1, 3 do for j = i, 3 do print(i, j) end end
for k, v in pairs(t) do print(k, v) end
for k in next, t do end
for a, b, c, d in f() do end
local s = 0
for i = 1, 100, 2 do s = s + i if s > 50 then break end end
while s > 0 do s = s - 1 end
repeat s = s + 1 until s >= 10
for i = 1, 2 do local x = i; local function f() return x end end
for i = 1, 2 do local function f() return i end end
while true do local y = 1; local g = function() return y end; if y then break end end
repeat local z = 1; local h = function() return z end until z
do local a = 1; local f = function() return a end end
for _, v in ipairs({1, 2, 3}) do print(v) end
