local obj = {}
function obj:a(x) return self, x end
function obj.b(self, x) return self:a(x) end
function obj:c(...) return self:a(...) end
function obj.d.e.f:g() return self end
obj:a(1):b(2):c(3)
obj.x:y(1)
obj["k"]:m()
obj[1]:m()
local s = ("abc"):upper()
local n = #obj:a()
local z = obj:a() + obj:a() * 2
return obj:a(obj:b(obj:c()))
