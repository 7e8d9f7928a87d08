-- Generates libs_format_calls.tsv: lua5.1 libs_format_calls.lua > libs_format_calls.tsv
-- Columns: format (hex), arguments ("n:<%.17g>" or "s:<hex>", comma-separated),
-- then "ok <result hex>" or "err <message>" of pcall(string.format, ...).
math.randomseed(99)
local function hex(s) return (s:gsub(".", function(c) return string.format("%02x", c:byte()) end)) end
local flags = {"", "", "", "-", "+", " ", "#", "0", "-0", "+ ", "-+ #0", "00"}
local widths = {"", "", "", "1", "7", "20", "99"}
local precs = {"", "", "", ".", ".0", ".2", ".10", ".99"}
local convs = {"d", "i", "o", "u", "x", "X", "e", "E", "f", "g", "G", "c", "s", "s", "s", "q", "d", "g", "f", "y"}
local nums = {0, -0.0, 1, -1, 3.75, -2.5, 255, 1e15, 1e100, -1e-300, 1/0, -1/0, 0/0, 2^53, 2^63, -2^63, 65, 0.1}
local strs = {"", "abc", "a\0b", string.rep("z", 120), "12", "x\"y\\z\n\r", "%s"}
for n = 1, 3000 do
  local parts, args, enc = {}, {}, {}
  for k = 1, math.random(1, 3) do
    if math.random() < 0.3 then parts[#parts + 1] = ({"ab", " ", "%%", "\0", ":"})[math.random(5)] end
    parts[#parts + 1] = "%" .. flags[math.random(#flags)] .. widths[math.random(#widths)] .. precs[math.random(#precs)] .. convs[math.random(#convs)]
  end
  for k = 1, math.random(1, 4) do
    if math.random() < 0.65 then
      local v = nums[math.random(#nums)] args[k] = v enc[k] = "n:" .. string.format("%.17g", v)
    else
      local v = strs[math.random(#strs)] args[k] = v enc[k] = "s:" .. hex(v)
    end
  end
  local f = table.concat(parts)
  local r = {pcall(string.format, f, unpack(args, 1, #enc))}
  local out = r[1] and ("ok " .. hex(r[2])) or ("err " .. r[2])
  io.write(hex(f), "\t", table.concat(enc, ","), "\t", out, "\n")
end
-- A few fixed edge cases.
for _, c in ipairs({{"%5%", 1}, {"%-5%", 1}, {"%", 1}, {"%\0", 1}, {"%-+ #0-d", 1}, {"%100d", 1}, {"%.100f", 1}}) do
  local r = {pcall(string.format, c[1], c[2])}
  io.write(hex(c[1]), "\t", "n:1", "\t", r[1] and ("ok " .. hex(r[2])) or ("err " .. r[2]), "\n")
end
