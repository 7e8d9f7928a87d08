local a = [[line1
line2
line3line4

line5]]
local b = "x\
y\
z\w"
--[==[ comment
]==] local c = 1
return a, b, c
