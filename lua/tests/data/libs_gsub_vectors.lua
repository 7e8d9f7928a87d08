-- Generates libs_gsub_vectors.tsv: lua5.1 libs_gsub_vectors.lua > libs_gsub_vectors.tsv
-- Columns: subject, pattern, replacement (hex), max (or "none"), then
-- "ok <result hex> <count>" or "err <message>" of pcall(string.gsub, ...),
-- and the gmatch results ("gm <hex>,<hex>;..." with captures joined by ',').
math.randomseed(777)
local function hex(s) return (s:gsub(".", function(c) return string.format("%02x", c:byte()) end)) end
local atoms = {"a", "b", ".", "%a", "%d", "%s", "%w", "[ab]", "[^a]", "%b()", "%f[%w]", " ", "(", ")", "()", "%1", "^", "$"}
local quants = {"", "", "*", "+", "-", "?"}
local function gen_pattern()
  local t = {}
  for k = 1, math.random(1, 5) do
    local a = atoms[math.random(#atoms)]
    if a ~= "(" and a ~= ")" and a ~= "()" and a ~= "^" and a ~= "$" and a ~= "%1" then a = a .. quants[math.random(#quants)] end
    t[#t + 1] = a
  end
  return table.concat(t)
end
local chars = {"a", "b", "(", ")", " ", "1", "x"}
local function gen_subject()
  local t = {}
  for k = 1, math.random(0, 12) do t[#t + 1] = chars[math.random(#chars)] end
  return table.concat(t)
end
local repls = {"", "x", "%0", "%1", "[%1]", "%2", "%%", "%", "<%0>", "%a", "%1%1"}
for n = 1, 4000 do
  local s, p, r = gen_subject(), gen_pattern(), repls[math.random(#repls)]
  local max = math.random() < 0.7 and "none" or math.random(-1, 3)
  local res
  if max == "none" then res = {pcall(string.gsub, s, p, r)} else res = {pcall(string.gsub, s, p, r, max)} end
  local out = res[1] and ("ok " .. hex(res[2]) .. " " .. res[3]) or ("err " .. res[2])
  local gm = {pcall(function()
    local parts = {}
    for a, b, c in string.gmatch(s, p) do
      local caps = {}
      for _, v in ipairs({a, b, c}) do caps[#caps + 1] = type(v) == "number" and ("#" .. v) or hex(v) end
      parts[#parts + 1] = table.concat(caps, ",")
      if #parts > 50 then break end
    end
    return table.concat(parts, ";")
  end)}
  local gout = gm[1] and ("gm " .. gm[2]) or ("gerr " .. gm[2])
  io.write(hex(s), "\t", hex(p), "\t", hex(r), "\t", tostring(max), "\t", out, "\t", gout, "\n")
end
