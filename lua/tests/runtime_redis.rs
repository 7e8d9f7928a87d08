//! Against Redis 7.0.15's embedded Lua (when `redis-server` is installed):
//! `pairs` order for long string keys (Redis hashes every character of a
//! string, stock 5.1 samples), `#t` with holes and error texts, compared
//! through `EVAL` on a private server. Skipped when the server is missing.

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use redlet_lua::api::Lua;
use redlet_lua::value::Value;

struct Server {
    child: Child,
    sock: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_file(&self.sock);
    }
}

fn start_server() -> Option<Server> {
    let sock = format!("/tmp/redlet-lua-runtime-{}.sock", std::process::id());
    let child = Command::new("redis-server")
        .args(["--port", "0", "--unixsocket", &sock, "--save", "", "--appendonly", "no"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let server = Server { child, sock };
    for _ in 0..100 {
        if std::path::Path::new(&server.sock).exists() {
            return Some(server);
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    None
}

/// The script's reply as redis-cli prints it (--no-raw list form lines).
fn redis_eval(server: &Server, script: &str) -> String {
    let out = Command::new("redis-cli")
        .args(["-s", &server.sock, "--raw", "EVAL", script, "0"])
        .output()
        .expect("redis-cli");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Our result, printed as `redis-cli --raw` prints a reply: each element of
/// a returned array (table up to its first nil) or the scalar, one per line.
fn ours(script: &str) -> String {
    let mut lua: Lua<()> = Lua::new();
    lua.open_base();
    lua.open_table();
    lua.open_math();
    redlet_lua::lib_string::open_string(&mut lua);
    let f = lua.load(script.as_bytes(), b"@user_script").unwrap();
    let r = lua.call(&mut (), Value::Function(f), &[]);
    let mut out = String::new();
    match r {
        Ok(v) => match v.first().copied().unwrap_or(Value::Nil) {
            Value::Table(t) => {
                let mut i = 1;
                loop {
                    let e = lua.raw_get_int(t, i);
                    if e.is_nil() {
                        break;
                    }
                    out.push_str(&String::from_utf8_lossy(&lua.tostring(e)));
                    out.push('\n');
                    i += 1;
                }
            }
            Value::Number(n) => out.push_str(&format!("{}\n", n as i64)),
            other => {
                out.push_str(&String::from_utf8_lossy(&lua.tostring(other)));
                out.push('\n');
            }
        },
        Err(e) => {
            out.push_str(&String::from_utf8_lossy(&lua.error_bytes(&e)));
            out.push('\n');
        }
    }
    out
}

const SCRIPTS: &[&str] = &[
    // long keys: Redis's full string hash decides the order
    "local t = {} for i = 1, 40 do t['a rather long key that is over thirty-two bytes #' .. i] = i end \
     local r = {} for k in pairs(t) do r[#r + 1] = k end return r",
    "local t = {} for i = 1, 30 do t[string.rep('k', i)] = i end \
     local r = {} for k in pairs(t) do r[#r + 1] = k end return r",
    "local t = {x = 1, y = 2, z = 3, [1] = 'a', [2] = 'b', alpha = 'q', beta = 'r'} \
     local r = {} for k, v in pairs(t) do r[#r + 1] = tostring(k) .. '=' .. tostring(v) end return r",
    "local t = {1, 2, nil, 4} return #t",
    "local t = {} t[1] = 1 t[2] = 2 t[4] = 4 return #t",
    "local s = {5, 3, 9, 1, 7} table.sort(s) return s",
    // error texts from the VM and the base library, through pcall
    "return select(2, pcall(function() local x = nil; return x.y end))",
    "return select(2, pcall(function() local t = {} return t.a.b end))",
    "return select(2, pcall(function() local a = 'x' return a + 1 end))",
    "return select(2, pcall(function() return {} < {} end))",
    "return select(2, pcall(function() local t = {} t:nomethod() end))",
    "return select(2, pcall(string.rep))",
    "return select(2, pcall(function() return ('x'):rep() end))",
    "return select(2, pcall(table.sort, {3, 1, 2, 5, 4, 7, 6, 9, 8, 10, 12, 11}, function(a, b) return true end))",
    "local function r() return 1 + r() end return select(2, pcall(r))",
    "return tostring(1e15) .. ' ' .. tostring(0.1) .. ' ' .. 2^53 .. ' ' .. 1/3 .. ' ' .. -0.0",
    "return tostring(tonumber('0x1F')) .. ' ' .. tostring(tonumber('z', 36)) .. ' ' .. tostring(tonumber('1e'))",
    "local co = coroutine.wrap(function(a) local b = coroutine.yield(a + 1) return b * 2 end) return co(1) .. ' ' .. co(10)",
    "return select(2, coroutine.resume(coroutine.create(function() error('inside') end)))",
    "local t = setmetatable({}, {__index = function(t, k) return k .. '!' end}) return t.hello",
    "return select('#', unpack({1, nil, 3}, 1, 3))",
    "return table.concat({1, 2.5, 'x'}, ',')",
    "return math.floor(-3.5) .. ' ' .. math.fmod(-7, 3) .. ' ' .. (-7 % 3) .. ' ' .. math.huge",
];

#[test]
fn scripts_match_redis() {
    let Some(server) = start_server() else {
        eprintln!("redis-server not available: skipped");
        return;
    };
    // Wait for the server to accept commands.
    for _ in 0..100 {
        if redis_eval(&server, "return 1").trim() == "1" {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    for script in SCRIPTS {
        assert_eq!(ours(script), redis_eval(&server, script), "script: {script}");
    }
}
