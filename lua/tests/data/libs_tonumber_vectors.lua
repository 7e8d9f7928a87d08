-- Generates libs_tonumber_vectors.tsv: lua5.1 libs_tonumber_vectors.lua > libs_tonumber_vectors.tsv
-- Columns: the string (hex), then tonumber(s) as %.17g, or "nil".
math.randomseed(5150)
local function hex(s) return (s:gsub(".", function(c) return string.format("%02x", c:byte()) end)) end
local pieces = {"0", "1", "9", "5", "00", "123456789", ".", "e", "E", "+", "-", "x", "X", "0x", "p", "P", "a", "f", "F",
  " ", "\t", "\n", "\v", "\f", "\r", "inf", "INF", "infinity", "nan", "NaN", "nan(", ")", "(", "\0", "1e308", "1e-320",
  "99999999999999999999", "0.000001", "_", "g", "Z", "ffffffffffffffff", "1p", "8p-2"}
for n = 1, 6000 do
  local t = {}
  for k = 1, math.random(1, 6) do t[#t + 1] = pieces[math.random(#pieces)] end
  local s = table.concat(t)
  local v = tonumber(s)
  io.write(hex(s), "\t", v and string.format("%.17g", v) or "nil", "\n")
end
