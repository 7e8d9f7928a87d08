local vals = {0, -0, 1, -1, 0.5, 1e300, -1e300, 1/0, -1/0, "10", "0x10", " 3 ", "abc", "", true, nil}
local names = {"0", "-0", "1", "-1", "0.5", "1e300", "-1e300", "inf", "-inf", "'10'", "'0x10'", "' 3 '", "'abc'", "''", "true", "nil"}
local ops = {
  {"+", function(a, b) return a + b end},
  {"-", function(a, b) return a - b end},
  {"*", function(a, b) return a * b end},
  {"/", function(a, b) return a / b end},
  {"%", function(a, b) return a % b end},
  {"^", function(a, b) return a ^ b end},
  {"..", function(a, b) return a .. b end},
  {"==", function(a, b) return a == b end},
  {"<", function(a, b) return a < b end},
  {"<=", function(a, b) return a <= b end},
}
for _, op in ipairs(ops) do
  local line = {}
  for i = 1, #names, 3 do
    for j = 2, #names, 5 do
      local ok, r = pcall(op[2], vals[i], vals[j])
      if ok then
        line[#line + 1] = names[i] .. op[1] .. names[j] .. "=" .. tostring(r)
      else
        line[#line + 1] = names[i] .. op[1] .. names[j] .. "!" .. (r:gsub("^[^:]*:%d+: ", ""))
      end
    end
  end
  print(table.concat(line, " | "))
end
for i = 1, #names do
  local ok, r = pcall(function(a) return -a end, vals[i])
  local ok2, r2 = pcall(function(a) return #a end, vals[i])
  print(names[i], ok, tostring(r), ok2, tostring(r2), not vals[i])
end
print(2^-1074, 2^1023 * 2, -(0/0) ~= -(0/0), math.max(1, 0/0), math.min(0/0, 1))
