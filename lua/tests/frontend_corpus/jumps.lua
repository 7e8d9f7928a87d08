local a, b, c, d = ...
local x = a and b and c and d
local y = a or b or c or d
local z = (a and b) or (c and d)
local w = (a or b) and (c or d)
local v = a and not b or not c and d
local u = not (a or b) and not (c and d)
local t = a == 1 or b == 2 and c ~= 3
local s = (a < b) == (c < d)
local q = a and 1 or nil
local p = a and nil or 1
local o = nil and a
local n = false or a
local m = true and a
local l = 1 and a or b
local k = a or 1
local j = a or "s"
local i = a and {} or {1}
f(a and b, c or d, not a)
t = {a and b, x = c or d, [a or b] = c and d}
if (a and b) or (c and d) then f() end
if not (a and b) then f() elseif not a or not b then g() else h() end
while not a do a = b and c end
repeat a = a or b until not a and b
if a == nil then f() end
if nil == a then f() end
if a ~= nil and b ~= false then f() end
if a == true then f() end
if a and true then f() end
if a or false then f() end
if a > 1 then f() end
if 1 < a then f() end
if 1 > 2 then f() end
if a then else end
if a then if b then if c then f() end end end
return a and b or c, (a or b) == c
