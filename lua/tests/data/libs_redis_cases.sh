#!/bin/sh
# Runs a case file through redis-server 7.0.15's Lua:
#   libs_redis_cases.sh CASES [PORT] > EXPECTED
# Each case line runs inside pcall in an EVAL whose `print` collects lines;
# the transcript format is libs_run_cases.lua's (chunk name user_script).
# SCRIPT FLUSH first: it resets the Lua state (cjson settings persist between
# EVALs; the cases run in one state on both sides).
cases=$1
port=${2:-7391}
redis-cli -p "$port" SCRIPT FLUSH > /dev/null
grep -v '^#' "$cases" | grep -v '^$' | while IFS= read -r line; do
  printf '== %s\n' "$line"
  script="local __o = {} local function print(...) local t = {} for i = 1, select('#', ...) do t[i] = tostring((select(i, ...))) end __o[#__o + 1] = table.concat(t, '\t') .. '\n' end local ok, e = pcall(function() $line
 end) if not ok then __o[#__o + 1] = 'error: ' .. tostring(e) .. '\n' end return table.concat(__o)"
  redis-cli -p "$port" --no-raw EVAL "$script" 0 | sed -e '1s/^"//' -e '$s/"$//' | python3 -c 'import sys,ast; d=sys.stdin.read(); d=d[:-1] if d.endswith("\n") else d; sys.stdout.buffer.write(ast.literal_eval("b\"" + d + "\"") if d else b"")'
done
