local a, b, c, d = ...
local r = {
  a + b * c, (a + b) * c, a * b + c, a - b - c, a - (b - c),
  a / b / c, a ^ b ^ c, (a ^ b) ^ c, -a ^ b, (-a) ^ b,
  not a == b, not (a == b), a .. b .. c, (a .. b) .. c,
  a < b == c, a + b < c * d, a .. b == c .. d, #a + 1, -#a, not not not a,
  a or b and c, (a or b) and c, a and b or c and d, a == b and c ~= d or a < d,
  a + b .. c - d, 2 ^ -a, -2 ^ 2, 2 ^ 3 ^ 2, 1 + 2 .. 3, "a" .. 1 + 2,
  a % b * c, a * b % c, -a % b, a - -b, a - - -b,
}
return r
