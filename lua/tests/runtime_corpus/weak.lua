local function count(t) local n = 0 for _ in pairs(t) do n = n + 1 end return n end
local wk = setmetatable({}, {__mode = "k"})
local wv = setmetatable({}, {__mode = "v"})
local wkv = setmetatable({}, {__mode = "kv"})
local keep = {}
for i = 1, 10 do
  local k = {}
  if i % 2 == 0 then keep[#keep + 1] = k end
  wk[k] = i
  wv[i] = k
  wkv[k] = k
  wv["s" .. i] = "string" .. i
  wk["str" .. i] = {}
end
collectgarbage()
print(count(wk), count(wv), count(wkv))
local sum = 0
for k, v in pairs(wk) do if type(k) == "table" then sum = sum + v end end
print(sum)
-- values that are functions and closures
local wf = setmetatable({}, {__mode = "v"})
wf[1] = function() end
local f2 = function() return 2 end
wf[2] = f2
wf[3] = print
collectgarbage()
print(wf[1], wf[2] == f2, wf[3] == print)
-- a weak table used as a cache
local cache = setmetatable({}, {__mode = "k"})
local function memo(t) local v = cache[t] if not v then v = #t cache[t] = v end return v end
local live = {1, 2, 3}
print(memo(live), memo({1}), count(cache))
collectgarbage()
print(count(cache), cache[live])
-- mode changes
local m = {__mode = "v"}
local ch = setmetatable({}, m)
ch[1] = {}
m.__mode = nil
collectgarbage()
print(count(ch))
