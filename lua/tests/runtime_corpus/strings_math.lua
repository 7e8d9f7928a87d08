local s = "Hello, World"
print(s:upper(), s:lower(), s:len(), #s, s:sub(1, 5), s:sub(-5), s:sub(3, -3), s:rep(2, "|"))
print(s:find("World"), s:find("o", 6), s:find("xyz"), s:match("(%a+), (%a+)"))
print(s:gsub("o", "0"), s:byte(1, 3), string.char(72, 105))
print(("x"):rep(0), ("ab"):reverse(), ("%d"):format(5))
for w in s:gmatch("%a+") do print(w) end
print(string.format("%5d|%-5d|%05.1f|%x|%X|%o|%e|%g|%g", 42, 42, 3.14159, 255, 255, 8, 12345.678, 0.0001, 1e20))
print(string.format("%s %s %s", 1, 2.5, true and "yes"))
print(math.floor(3.7), math.ceil(3.2), math.floor(-3.7), math.ceil(-3.2), math.abs(-5))
print(math.max(1, 5, 3), math.min(4, 2, 8), math.sqrt(16), math.pow(2, 10), math.exp(0), math.log(1))
print(math.fmod(7, 3), math.fmod(-7, 3), math.modf(3.7), math.modf(-3.7))
print(math.frexp(8), math.ldexp(0.5, 4), math.log10(1000), math.deg(math.pi), math.rad(180))
print(math.sin(0), math.cos(0), math.tan(0), math.asin(1), math.acos(1), math.atan(1), math.atan2(1, 1))
print(math.sinh(0), math.cosh(0), math.tanh(0), math.mod(7, 3))
print(math.huge > 1e308, -math.huge < -1e308, math.floor(2^31 + 0.5), math.floor(-2^31 - 0.5))
print(0/0 ~= 0/0, 1/0, -1/0)
math.randomseed(42)
print(math.random(1, 100), math.random(1, 100), math.random(10))
local r = math.random()
print(r >= 0 and r < 1)
math.randomseed(7)
local a = {}
for i = 1, 5 do a[i] = math.random(1000) end
print(table.concat(a, " "))
print(pcall(math.random, 5, 1))
print(pcall(math.random, 1, 2, 3))
-- numeric for with float steps
for i = 1, 2, 0.25 do io_w = i; print(i) end
for i = 10, 1, -3 do print(i) end
for i = 1, 0 do print("never") end
for i = "1", "3" do print(i, type(i)) end
-- while / repeat
local n = 0
while n < 5 do n = n + 1 end
repeat n = n - 2 until n < 0
print(n)
-- string <-> number coercions
print("10" * 2, 10 .. "", "3.0" + 0, "0x10" * 1, "1e1" + 0, -"2", "  7  " * 1)
print(pcall(function() return "abc" + 1 end))
print(10 == "10", tostring(10) == "10")
print(2^63, -2^63, 2^53 + 1, 1e100, 123e-7, 0.1, 1/7)
print(string.format("%.14g", 0.1), 3.14159265358979, 100000000000000, 1e15 + 0.5)
print(8 % 3.5, -8 % 3.5, 5.5 % -2, 2^-1, (-8)^(1/3))
print(tostring(1e300 * 1e10), tostring(-1e300 * 1e10))
print(#tostring(12345.6789))
print(tonumber("  0x1p4  "), tonumber("1e+2"), tonumber("- 1"), tonumber("-1"), tonumber("+1"), tonumber("1 2"))
print(tonumber(nil))
print(pcall(tonumber))
print(tonumber("11", 2), tonumber("zz", 36), tonumber("8", 8), tonumber(" ff ", 16), tonumber("-ff", 16), tonumber("0x10", 16), tonumber("1.5", 10))
print(tostring(print):sub(1, 9), tostring({}):sub(1, 6))
print(type(tostring(nil)), select('#', tostring(1)))
