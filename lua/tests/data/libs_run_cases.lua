-- Runs a case file with lua5.1: lua5.1 libs_run_cases.lua CASES > EXPECTED
-- One case per line (lines starting with '#' and empty lines are skipped).
-- Each case is compiled as its own chunk named "=c" and called; the output
-- is "== <case>", what the case printed, and "error: <message>" if it failed.
-- tests/libs_scripts.rs produces the same transcript with redlet-lua.
for line in io.lines(arg[1]) do
  if line ~= "" and not line:match("^#") then
    io.write("== ", line, "\n")
    local f, err = loadstring(line, "=c")
    if not f then
      io.write("compile error: ", err, "\n")
    else
      local ok, e = pcall(f)
      if not ok then io.write("error: ", tostring(e), "\n") end
    end
  end
end
