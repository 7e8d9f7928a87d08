local a = "double"
local b = 'single'
local c = "esc \a\b\f\n\r\t\v\\\"\'"
local d = "dec \0 \1 \12 \123 \255 \0011"
local e = [[long
string]]
local f = [==[with ]] inside]==]
local g = [[
starts with newline]]
local h = "line\
continued"
local i = "\z"
local j = '"'
local k = "'"
local l = ""
local m = [=[]=]
local n = "\128\200\250 \x41"
--[[ long comment ]]
--[==[ long
comment ]==]
-- short comment
--[ not long
--[=
return a, b, c, d, e, f, g, h, i, j, k, l, m, n
