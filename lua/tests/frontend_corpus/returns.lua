local function a() return end
local function b() return 1 end
local function c() return 1, 2 end
local function d(...) return ... end
local function e(...) return 1, ... end
local function f() return g() end
local function g() return (g()) end
local function h() return g(), g() end
local function i(x) return x end
local function j(x, y) return y, x end
local function k() return nil end
local function l() return true, false, nil end
local function m() do return end end
local function n() return; end
return a, b, c, d, e, f, g, h, i, j, k, l, m, n
