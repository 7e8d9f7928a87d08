-- Generates libs_format_vectors.tsv: lua5.1 libs_format_vectors.lua > libs_format_vectors.tsv
-- Columns: spec \t conversion \t value as %.17g \t lua5.1 output
math.randomseed(12345)
local vals = {1/0, -1/0, 0/0, -(0/0), 0, -0.0, 1, -1, 0.5, 1.5, 2.5, -2.5, 0.125, 0.1, 1/3, 2/3, 1e15, 1e14, 1e16, 1e21, 1e22, 1e100, 1e308, 1.7976931348623157e308, 5e-324, 2.2250738585072014e-308, 1e-5, 1e-4, 123456789, 9.9999995, 0.00001234, 2^53, 2^63, 2^64, -2^63, 255, 65, 1234.5678, 99999.95, 0.05, 0.15, 0.25, 0.35, 1e-10, 123.456e-300}
for k = 1, 200 do
  local m = math.random() * 10
  local e = math.random(-30, 30)
  local v = m * 10^e
  if math.random() < 0.5 then v = -v end
  vals[#vals+1] = v
end
for k = 1, 60 do vals[#vals+1] = math.random(-100000, 100000) / (2^math.random(0, 6)) end
local flags = {"", "-", "+", " ", "#", "0", "-+", "+0", " 0", "#0", "-#", "+ ", "-0"}
local widths = {"", "1", "5", "12", "30"}
local precs = {"", ".", ".0", ".1", ".3", ".6", ".10", ".17", ".25", ".40"}
local convs = {"e", "E", "f", "g", "G", "d", "i", "o", "u", "x", "X"}
for _, v in ipairs(vals) do
  for n = 1, 12 do
    local spec = flags[math.random(#flags)] .. widths[math.random(#widths)] .. precs[math.random(#precs)]
    local conv = convs[math.random(#convs)]
    local r = string.format("%" .. spec .. conv, v)
    io.write(spec, "\t", conv, "\t", string.format("%.17g", v), "\t", r, "\n")
  end
end
-- %.14g tostring
for _, v in ipairs(vals) do io.write("tostring\tg\t", string.format("%.17g", v), "\t", tostring(v), "\n") end
