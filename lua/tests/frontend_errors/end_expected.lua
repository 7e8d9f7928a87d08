if x then

x = 1
