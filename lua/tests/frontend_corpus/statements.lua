do end
do local a end
local a = 1;
a = a + 1;
if a then end
if a then a = 1 elseif a then a = 2 end
while false do end
repeat until true
for i = 1, 0 do end
for i = 1.5, 10.5, 0.5 do end
for i = a, a * 2, -a do end
for k in pairs({}) do end
function f() end
function f.g() end
function f.g.h:i() end
local function l() end
local m = function() end
return
