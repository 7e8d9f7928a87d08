local function show(t)
  local keys = {}
  for k in pairs(t) do keys[#keys + 1] = k end
  table.sort(keys)
  local out = {}
  for _, k in ipairs(keys) do
    local v = t[k]
    if type(v) == "function" then v = "fn" end
    out[#out + 1] = k .. "=" .. tostring(v)
  end
  return table.concat(out, " ")
end
local function where()
  return show(debug.getinfo(2, "Sl"))
end
print(where())
local function named() return show(debug.getinfo(1, "nSl")) end
print(named())
print(show(debug.getinfo(1, "Sl")))
print(show(debug.getinfo(print, "S")))
print(show(debug.getinfo(named, "Su")))
print(debug.getinfo(50))
print(pcall(debug.getinfo, {}))
print(pcall(debug.getinfo, 1, "X"))
-- the error handler pattern Redis uses
local function handler(err)
  local i = debug.getinfo(2, "nSl")
  if i and i.what == "C" then i = debug.getinfo(3, "nSl") end
  return tostring(err) .. " @" .. (i and (i.source .. ":" .. i.currentline) or "?")
end
print(xpcall(function()
  local x = nil
  return x.field
end, handler))
print(xpcall(function()
  error("raised")
end, handler))
local t = setmetatable({}, {__index = function(t, k) return debug.getinfo(2, "l").currentline end})
print(t.anything)
local function tail() return debug.getinfo(1, "nS").what end
local function caller() return tail() end
print(caller())
-- traceback first lines
local tb = debug.traceback("msg")
print((tb:gsub("\n[^\n]*%[C%]: %?$", "")))
local function lvl3() return debug.traceback("deep", 1) end
local function lvl2() return (lvl3()) end
local out = lvl2()
local lines = {}
for l in out:gmatch("[^\n]+") do lines[#lines + 1] = l end
print(lines[1], lines[2], lines[3], lines[4], lines[5])
print(debug.traceback({}) ~= nil, type(debug.traceback({})))
