-- Generates libs_pattern_vectors.tsv: lua5.1 libs_pattern_vectors.lua > libs_pattern_vectors.tsv
-- Columns: subject (hex) \t pattern (hex) \t init \t result of string.find:
-- "nil", "err <message>", or "ok <start> <end>" followed by " <capture hex or #position>".
math.randomseed(4242)
local function hex(s) return (s:gsub(".", function(c) return string.format("%02x", c:byte()) end)) end
local atoms = {"a", "b", "c", ".", "%a", "%d", "%s", "%w", "%A", "%S", "%p", "%l", "%u", "%x", "%z", "%.", "%%",
  "[ab]", "[^a]", "[a-c]", "[%d_]", "[^%s]", "[%]]", "[a-]", "%b()", "%bab", "%f[%w]", "%f[%W]", "%f[%z]", " ", "(", ")", "-", "1", "\0"}
local quants = {"", "", "", "*", "+", "-", "?"}
local bad = {"%", "[a", "%1", "%0", ")", "(", "%f", "%b", "[", "[^", "%g", "%2"}
local function gen_pattern()
  local parts = {}
  if math.random() < 0.2 then parts[#parts+1] = "^" end
  local open = 0
  for k = 1, math.random(1, 6) do
    local r = math.random()
    if r < 0.12 then parts[#parts+1] = "("; open = open + 1
    elseif r < 0.2 and open > 0 then parts[#parts+1] = ")"; open = open - 1
    elseif r < 0.23 then parts[#parts+1] = "()"
    elseif r < 0.27 then parts[#parts+1] = "%" .. math.random(1, 3)
    elseif r < 0.30 then parts[#parts+1] = bad[math.random(#bad)]
    else parts[#parts+1] = atoms[math.random(#atoms)] .. quants[math.random(#quants)] end
  end
  while open > 0 and math.random() < 0.9 do parts[#parts+1] = ")"; open = open - 1 end
  if math.random() < 0.15 then parts[#parts+1] = "$" end
  return table.concat(parts)
end
local chars = {"a", "b", "c", "(", ")", " ", "1", "_", "-", "A", "]", "\0", "\233", "."}
local function gen_subject()
  local t = {}
  for k = 1, math.random(0, 14) do t[#t+1] = chars[math.random(#chars)] end
  return table.concat(t)
end
for n = 1, 6000 do
  local s, p = gen_subject(), gen_pattern()
  local init = math.random() < 0.8 and 1 or math.random(-5, 16)
  local res = {pcall(string.find, s, p, init)}
  local out
  if not res[1] then out = "err " .. res[2]
  elseif res[2] == nil then out = "nil"
  else
    local t = {"ok", res[2], res[3]}
    for i = 4, #res do
      if type(res[i]) == "number" then t[#t+1] = "#" .. res[i] else t[#t+1] = hex(res[i]) end
    end
    out = table.concat(t, " ")
  end
  io.write(hex(s), "\t", hex(p), "\t", init, "\t", out, "\n")
end
