local a, b, c = ...
local x = a and b
local y = a or b
local z = a and b or c
local w = (a or b) and c
local v = a and (b or c)
local u = not (a and b)
local t = a == b
local s = a ~= b
local r = a < b
local q = a <= b
local p = a > b
local o = a >= b
local n = (a < b) and (b < c) or (c == a)
local m = a == nil
local l = nil == a
local k = a == true or a == false
local j = 1 < 2
local i = "a" < "b"
local h = a and 1 or 2
local g = a or nil
local f = a and nil
local e = (a == b) == (b == c)
local d = not a == b
if a and b then x = 1 end
if a or b then x = 2 end
if not a then x = 3 end
if a == 1 and b ~= 2 or c > 3 then x = 4 end
if a then elseif b then elseif c then else end
while a and not b do a = a - 1 end
while true do if a then break end end
repeat local k = a until k or b
if nil then x = 1 end
if false then x = 2 else x = 3 end
if true then x = 4 end
if 1 then x = 5 end
if "s" then x = 6 end
