local function keys(t)
  local out = {}
  for k, v in pairs(t) do out[#out + 1] = tostring(k) .. "=" .. tostring(v) end
  return table.concat(out, " ")
end
print(keys({[1.5] = 1, [-1] = 2, [0] = 3, [1e10] = 4, [2^40] = 5, [-0.5] = 6, [100] = 7, [3] = 8}))
local t = {}
for i = 10, 1, -1 do t[i * 1.5] = i end
print(keys(t))
local s = {}
for _, w in ipairs({"id", "name", "email", "age", "created_at", "updated_at", "status", "role", "x", "y", "z", "a1", "b2"}) do s[w] = #w end
print(keys(s))
local mixed = {"a", "b", "c"}
mixed.k = 1; mixed[10] = 2; mixed[4] = "d"; mixed.j = 2
print(keys(mixed))
mixed[2] = nil
print(keys(mixed))
-- growth from constructor vs incremental
local c1 = {a = 1, b = 2, c = 3, d = 4, e = 5}
local c2 = {}
c2.a = 1; c2.b = 2; c2.c = 3; c2.d = 4; c2.e = 5
print(keys(c1))
print(keys(c2))
-- assignment of existing keys during traversal
local m = {p = 1, q = 2, r = 3, s = 4}
for k, v in pairs(m) do m[k] = v * 10 end
print(keys(m))
-- boolean keys
print(keys({[true] = "t", [false] = "f", x = 1}))
-- array shrinking through rehash
local arr = {}
for i = 1, 17 do arr[i] = i end
for i = 1, 16 do arr[i] = nil end
arr.z = 1
print(keys(arr), #arr)
local sparse = {}
sparse[1] = 1; sparse[2] = 2; sparse[4] = 4; sparse[8] = 8; sparse[16] = 16; sparse[32] = 32
print(keys(sparse), #sparse)
local neg = {}
for i = -5, 5 do neg[i] = i end
print(keys(neg), #neg)
-- string keys that look like numbers
print(keys({["1"] = "s1", [1] = "n1", ["01"] = "s01", ["1.0"] = "s1.0"}))
-- unpack/# on tables from table.insert with explicit positions
local ins = {}
table.insert(ins, 1, "a"); table.insert(ins, 1, "b"); table.insert(ins, 3, "c")
print(keys(ins), #ins, unpack(ins))
print(#{n = 3}, #{[1] = 1, [2] = 2, [3] = 3}, #{[2] = 2, [3] = 3})
