-- pairs order with string keys
local t = {}
for _, k in ipairs({"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"}) do t[k] = #k end
for k, v in pairs(t) do print(k, v) end
-- mixed keys
local m = {1, 2, 3, a = "x", b = "y", [10] = 10, [2.5] = "f", [-1] = "neg", [true] = "T", [false] = "F"}
for k, v in pairs(m) do print(k, v) end
-- deletions during traversal
local d = {}
for i = 1, 20 do d["k" .. i] = i end
for k, v in pairs(d) do if v % 2 == 0 then d[k] = nil end end
for k, v in pairs(d) do print(k, v) end
-- rehash growth pattern
local g = {}
for i = 1, 40 do g["key" .. i] = i; g[i * 3] = i end
local n = 0
for k, v in pairs(g) do n = n + 1; io_last = k end
print(n)
for k, v in pairs(g) do print(k, v) end
-- next
print(next({}))
print(next({10}))
local nk = {x = 1}
print(next(nk))
print(next(nk, "x"))
-- # with holes
print(#{1, 2, nil, 4})
print(#{1, nil, 3})
print(#{nil, nil, 3})
print(#{1, 2, 3, nil})
print(#{n = 1})
local h = {}
h[1] = 1; h[2] = 2; h[4] = 4
print(#h)
local h2 = {}
for i = 1, 10 do h2[i] = i end
h2[5] = nil
print(#h2)
h2[10] = nil
print(#h2)
local h3 = {}
h3[1] = 1; h3[3] = 3; h3[4] = 4; h3[5] = 5
print(#h3)
local big = {}
for i = 1, 100 do big[i] = i end
for i = 50, 100 do big[i] = nil end
print(#big)
-- ipairs stops at first nil
for i, v in ipairs({1, 2, nil, 4}) do print(i, v) end
-- table.insert / remove
local l = {}
table.insert(l, "a"); table.insert(l, "b"); table.insert(l, 1, "c"); table.insert(l, 2, "d")
print(table.concat(l, ","))
print(table.remove(l), table.remove(l, 1), table.concat(l, ","))
print(table.remove({}), #l)
table.insert(l, 10, "far")
print(l[10], #l)
print(table.concat({1, 2, 3}, ", ", 2, 3), table.concat({}, "x"), table.concat({1, "a", 2.5}))
print(table.maxn({1, 2, [10] = 1, [3.5] = 2}), table.getn({1, 2, 3}))
print(pcall(table.setn, {}, 1))
-- sort
local s = {5, 2, 8, 1, 9, 3, 7, 4, 6, 0}
table.sort(s)
print(table.concat(s, " "))
table.sort(s, function(a, b) return a > b end)
print(table.concat(s, " "))
local words = {"pear", "apple", "fig", "banana", "cherry", "date"}
table.sort(words)
print(table.concat(words, " "))
table.sort(words, function(a, b) return #a < #b end)
print(table.concat(words, " "))
local ok, e = pcall(table.sort, {3, 1, 2, 5, 4, 7, 6, 9, 8, 10, 12, 11}, function(a, b) return true end)
print(ok, e)
print(pcall(table.sort, {1, "x", 2}))
local cmpcount = 0
local r = {}
for i = 1, 100 do r[i] = (i * 37) % 101 end
table.sort(r, function(a, b) cmpcount = cmpcount + 1; return a < b end)
print(cmpcount, r[1], r[50], r[100])
-- foreach / foreachi
table.foreachi({"x", "y"}, print)
table.foreach({a = 1}, print)
-- nested tables and constructors
local nested = {{1, 2}, {3, {4, 5}}, x = {y = {z = "deep"}}}
print(nested[2][2][1], nested.x.y.z)
local many = {}
for i = 1, 300 do many[i] = i end
print(#many, many[300])
local ctor = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53}
print(#ctor, ctor[53])
local function three() return 1, 2, 3 end
local withcall = {three(), three()}
print(#withcall)
-- number keys normalisation
local nkeys = {}
nkeys[1.0] = "one"; nkeys[2] = "two"
print(nkeys[1], nkeys[2.0])
nkeys[-0] = "zero"
print(nkeys[0])
