print("hello")
print "hello"
print { 1, 2 }
print(1, 2, 3)
print(f())
print(f(), g())
print((f()))
local x = f(1)(2)(3)
obj:method(1, 2)
obj.a.b:c "x"
obj:m { }
local y = obj:m(...)
return f(x)
