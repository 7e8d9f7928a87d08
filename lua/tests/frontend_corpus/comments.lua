--[[ level 0
  with ]=] inside ]]
--[=[ level 1 ]] still
  comment ]=]
--[==[
  ]=] ]] [[ ]==]
--[===[]===] x = 1
-- [[ not a long comment
--[ still short
--[= short too
---[[ short
x = 2 --[[ inline ]] y = 3
z = [==[
long ]] ]=] string]==] --[[ c ]]
w = [[]]
v = [=[
]=]
--
-- trailing
