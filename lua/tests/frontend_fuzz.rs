//! Hostile and random input for the compiler: random bytes and random token
//! soups never panic nor overflow the stack (bounded time), and, when
//! `luac5.1` is installed, random token soups fail (or compile) with
//! exactly luac's message (or listing), and random well-formed programs list
//! exactly as luac lists them.

use std::process::Command;

use redlet_lua::listing::listing;
use redlet_lua::parse::{compile, compile_at_depth};

/// xorshift64*: deterministic, so a failure reproduces.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len())]
    }
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

const TOKENS: &[&str] = &[
    "and", "break", "do", "else", "elseif", "end", "false", "for", "function", "if", "in", "local", "nil", "not", "or",
    "repeat", "return", "then", "true", "until", "while", "..", "...", "==", ">=", "<=", "~=", "+", "-", "*", "/", "%",
    "^", "#", "<", ">", "=", "(", ")", "{", "}", "[", "]", ";", ":", ",", ".", "a", "b", "x", "self", "1", "2.5",
    "0x10", "1e3", "'s'", "\"t\\n\"", "[[long]]", "--c\n", "\n", "f", "t", "[=[x]=]", "--[[c]]",
];

fn token_soup(rng: &mut Rng) -> String {
    let n = rng.below(40);
    let mut s = String::new();
    for _ in 0..n {
        s.push_str(rng.pick(TOKENS));
        s.push(' ');
    }
    s
}

fn random_bytes(rng: &mut Rng) -> Vec<u8> {
    const LUAISH: &[u8] = b"abcdefxyz_0123456789.eExX+-*/%^#<>=~()[]{};:,'\"\\ \n\r\t[[]]--";
    let n = rng.below(120);
    (0..n)
        .map(|_| if rng.chance(80) { LUAISH[rng.below(LUAISH.len())] } else { rng.next() as u8 })
        .collect()
}

#[test]
fn random_input_never_panics() {
    let start = std::time::Instant::now();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut compiled = 0;
    for i in 0..60_000 {
        let src = if i % 2 == 0 { random_bytes(&mut rng) } else { token_soup(&mut rng).into_bytes() };
        if let Ok(p) = compile(&src, b"=fuzz") {
            compiled += 1;
            let _ = listing(&p, true);
        }
        if start.elapsed().as_secs() > 20 {
            break;
        }
    }
    assert!(compiled > 0);
    // Deep and long hostile shapes.
    for src in [
        "(".repeat(1 << 20),
        "{".repeat(1 << 20),
        "x = ".to_string() + &"-".repeat(1 << 20),
        "function f() ".repeat(1 << 16),
        "a.".repeat(1 << 16) + "b = 1",
        "a = a".to_string() + &" .. a".repeat(1 << 16),
        "[".repeat(1 << 16) + "=",
        "--[".to_string() + &"=".repeat(1 << 16) + "[",
    ] {
        let _ = compile(src.as_bytes(), b"=deep");
    }
}

/// Grammar-driven random programs: always valid Lua 5.1.
struct Gen {
    rng: Rng,
    out: String,
    depth: usize,
}

const NAMES: &[&str] = &["a", "b", "c", "x", "y", "t", "f", "g", "self"];

impl Gen {
    fn name(&mut self) -> &'static str {
        self.rng.pick(NAMES)
    }

    fn expr(&mut self, vararg: bool) {
        self.depth += 1;
        let deep = self.depth > 6;
        let choice = if deep { self.rng.below(8) } else { self.rng.below(26) };
        match choice {
            0 => {
                let n = self.rng.pick(&["0", "1", "2", "3.5", "-1", "0x1F", "1e2", "100", "0.1", "255", "256"]);
                self.out.push_str(n)
            }
            1 => {
                let s = self.rng.pick(&["'s'", "\"k\"", "'a\\0b'", "[[L]]", "''"]);
                self.out.push_str(s)
            }
            2 => {
                let s = self.rng.pick(&["nil", "true", "false"]);
                self.out.push_str(s)
            }
            3..=5 => {
                let n = self.name();
                self.out.push_str(n)
            }
            6 => self.out.push_str(if vararg { "..." } else { "nil" }),
            7 => {
                let n = self.name();
                self.out.push_str(n);
                self.out.push('.');
                let m = self.name();
                self.out.push_str(m);
            }
            8..=12 => {
                self.expr(vararg);
                let op = self.rng.pick(&[
                    " + ", " - ", " * ", " / ", " % ", " ^ ", " .. ", " == ", " ~= ", " < ", " <= ", " > ", " >= ", " and ",
                    " or ",
                ]);
                self.out.push_str(op);
                self.expr(vararg);
            }
            13 => {
                let op = self.rng.pick(&["- ", "not ", "#"]);
                self.out.push_str(op);
                self.expr(vararg);
            }
            14 => {
                self.out.push('(');
                self.expr(vararg);
                self.out.push(')');
            }
            15 => self.table(vararg),
            16 => self.function_literal(),
            17 | 18 => self.call(vararg),
            19 => {
                let n = self.name();
                self.out.push_str(n);
                self.out.push_str("[ ");
                self.expr(vararg);
                self.out.push(']');
            }
            20 | 21 => {
                // Constant subexpressions: folding (or not) of numerals.
                // (No `^`: folding uses libm's pow, which is sometimes one
                // ulp off glibc's; see frontend_numbers.)
                let n = 1 + self.rng.below(4);
                for i in 0..n {
                    if i > 0 {
                        let op = self.rng.pick(&[" + ", " - ", " * ", " / ", " % ", " .. ", " == ", " < ", " and ", " or "]);
                        self.out.push_str(op);
                    }
                    let u = self.rng.pick(&["", "", "- ", "not ", "#"]);
                    self.out.push_str(u);
                    let k = self.rng.pick(&["0", "1", "2", "0.5", "3", "1e300", "-0", "(2)", "'7'", "nil", "true", "(1 + 1)"]);
                    self.out.push_str(k);
                }
            }
            22 => self.out.push_str(if vararg { "(...)" } else { "(nil)" }),
            23 => {
                let n = self.name();
                self.out.push_str(n);
                self.out.push_str(if vararg { "(...)" } else { "()" });
            }
            _ => {
                self.expr(vararg);
                self.out.push_str(" and ");
                self.expr(vararg);
                self.out.push_str(" or ");
                self.expr(vararg);
            }
        }
        self.depth -= 1;
    }

    fn explist(&mut self, vararg: bool, max: usize) {
        let n = 1 + self.rng.below(max);
        for i in 0..n {
            if i > 0 {
                self.out.push_str(", ");
            }
            self.expr(vararg);
        }
    }

    fn table(&mut self, vararg: bool) {
        self.out.push('{');
        let n = if self.rng.chance(10) { 45 + self.rng.below(70) } else { self.rng.below(5) };
        for i in 0..n {
            if i > 0 {
                self.out.push_str(if self.rng.chance(80) { ", " } else { "; " });
            }
            match self.rng.below(4) {
                0 => {
                    let k = self.name();
                    self.out.push_str(k);
                    self.out.push_str(" = ");
                    self.expr(vararg);
                }
                1 => {
                    self.out.push_str("[ ");
                    self.expr(vararg);
                    self.out.push_str("] = ");
                    self.expr(vararg);
                }
                _ => self.expr(vararg),
            }
        }
        self.out.push('}');
    }

    fn call(&mut self, vararg: bool) {
        let f = self.name();
        self.out.push_str(f);
        match self.rng.below(5) {
            0 => {
                self.out.push(':');
                let m = self.name();
                self.out.push_str(m);
            }
            1 => {
                self.out.push('.');
                let m = self.name();
                self.out.push_str(m);
            }
            _ => {}
        }
        match self.rng.below(6) {
            0 => self.out.push_str(" 'str'"),
            1 => self.table(vararg),
            _ => {
                self.out.push('(');
                if self.rng.chance(70) {
                    self.explist(vararg, 4);
                }
                self.out.push(')');
            }
        }
    }

    fn function_literal(&mut self) {
        self.out.push_str("function(");
        let vararg = self.params();
        self.out.push_str(")\n");
        self.block(vararg, false, 3);
        self.out.push_str(" end");
    }

    /// Writes a parameter list; true if it ends with `...`.
    fn params(&mut self) -> bool {
        let n = self.rng.below(4);
        for i in 0..n {
            if i > 0 {
                self.out.push_str(", ");
            }
            let p = self.rng.pick(&["a", "b", "c", "x", "y"]);
            self.out.push_str(p);
        }
        if self.rng.chance(40) {
            if n > 0 {
                self.out.push_str(", ");
            }
            self.out.push_str("...");
            return true;
        }
        false
    }

    fn block(&mut self, vararg: bool, in_loop: bool, max: usize) {
        self.depth += 1;
        let n = if self.depth > 5 { self.rng.below(2) } else { self.rng.below(max + 1) };
        for _ in 0..n {
            self.statement(vararg, in_loop);
            self.out.push_str(if self.rng.chance(20) { ";\n" } else { "\n" });
        }
        if self.rng.chance(25) {
            if in_loop && self.rng.chance(40) {
                self.out.push_str("break\n");
            } else {
                self.out.push_str("return");
                if self.rng.chance(70) {
                    self.out.push(' ');
                    self.explist(vararg, 3);
                }
                self.out.push('\n');
            }
        }
        self.depth -= 1;
    }

    fn statement(&mut self, vararg: bool, in_loop: bool) {
        match self.rng.below(15) {
            0 | 1 => {
                self.out.push_str("local ");
                let n = 1 + self.rng.below(3);
                for i in 0..n {
                    if i > 0 {
                        self.out.push_str(", ");
                    }
                    let v = self.name();
                    self.out.push_str(v);
                }
                if self.rng.chance(80) {
                    self.out.push_str(" = ");
                    self.explist(vararg, 3);
                }
            }
            2 | 3 => {
                let n = 1 + self.rng.below(3);
                for i in 0..n {
                    if i > 0 {
                        self.out.push_str(", ");
                    }
                    let v = self.name();
                    self.out.push_str(v);
                    match self.rng.below(4) {
                        0 => {
                            self.out.push_str("[ ");
                            self.expr(vararg);
                            self.out.push(']');
                        }
                        1 => {
                            self.out.push('.');
                            let m = self.name();
                            self.out.push_str(m);
                        }
                        _ => {}
                    }
                }
                self.out.push_str(" = ");
                self.explist(vararg, 3);
            }
            4 | 5 => self.call(vararg),
            6 => {
                self.out.push_str("if ");
                self.expr(vararg);
                self.out.push_str(" then\n");
                self.block(vararg, in_loop, 3);
                for _ in 0..self.rng.below(3) {
                    self.out.push_str("elseif ");
                    self.expr(vararg);
                    self.out.push_str(" then\n");
                    self.block(vararg, in_loop, 2);
                }
                if self.rng.chance(50) {
                    self.out.push_str("else\n");
                    self.block(vararg, in_loop, 2);
                }
                self.out.push_str("end");
            }
            7 => {
                self.out.push_str("while ");
                self.expr(vararg);
                self.out.push_str(" do\n");
                self.block(vararg, true, 3);
                self.out.push_str("end");
            }
            8 => {
                let v = self.name();
                self.out.push_str("for ");
                self.out.push_str(v);
                self.out.push_str(" = ");
                self.explist(vararg, 1);
                self.out.push_str(", ");
                self.expr(vararg);
                if self.rng.chance(50) {
                    self.out.push_str(", ");
                    self.expr(vararg);
                }
                self.out.push_str(" do\n");
                self.block(vararg, true, 3);
                self.out.push_str("end");
            }
            9 => {
                self.out.push_str("for ");
                let n = 1 + self.rng.below(3);
                for i in 0..n {
                    if i > 0 {
                        self.out.push_str(", ");
                    }
                    let v = self.name();
                    self.out.push_str(v);
                }
                self.out.push_str(" in ");
                self.explist(vararg, 3);
                self.out.push_str(" do\n");
                self.block(vararg, true, 3);
                self.out.push_str("end");
            }
            10 => {
                self.out.push_str("repeat\n");
                self.block(vararg, true, 3);
                self.out.push_str("until ");
                self.expr(vararg);
            }
            11 => {
                self.out.push_str("do\n");
                self.block(vararg, in_loop, 3);
                self.out.push_str("end");
            }
            12 => {
                self.out.push_str("local function ");
                let n = self.name();
                self.out.push_str(n);
                self.out.push('(');
                let va = self.params();
                self.out.push_str(")\n");
                self.block(va, false, 3);
                self.out.push_str("end");
            }
            13 => {
                self.out.push_str("function ");
                let n = self.name();
                self.out.push_str(n);
                let colon = self.rng.chance(40);
                if self.rng.chance(50) || colon {
                    self.out.push_str(if colon { ":" } else { "." });
                    let m = self.name();
                    self.out.push_str(m);
                }
                self.out.push('(');
                let va = self.params();
                self.out.push_str(")\n");
                self.block(va, false, 3);
                self.out.push_str("end");
            }
            _ => {
                let v = self.name();
                self.out.push_str(v);
                self.out.push_str(" = ");
                self.function_literal();
            }
        }
    }
}

fn normalize(b: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'0' && b.get(i + 1) == Some(&b'x') {
            out.extend_from_slice(b"0x");
            i += 2;
            while i < b.len() && b[i].is_ascii_hexdigit() {
                i += 1;
            }
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    out
}

/// Compares ours with luac on each source; returns the number compared.
fn against_luac(tag: &str, sources: &[Vec<u8>]) -> usize {
    if Command::new("luac5.1").arg("-v").output().is_err() {
        return 0;
    }
    let dir = std::env::temp_dir().join(format!("redlet-fuzz-{tag}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (i, src) in sources.iter().enumerate() {
        if src.first() == Some(&0x1b) {
            // luac would load a binary chunk; Redis's Lua (and ours) has no
            // undump and parses everything as source.
            continue;
        }
        let file = format!("p{i}.lua");
        std::fs::write(dir.join(&file), src).unwrap();
        let out = Command::new("luac5.1").args(["-l", "-l", "-p", &file]).current_dir(&dir).output().unwrap();
        let theirs = if out.status.success() {
            Ok(normalize(&out.stdout))
        } else {
            let e = out.stderr.strip_prefix(b"luac5.1: ").unwrap_or(&out.stderr);
            Err(e.strip_suffix(b"\n").unwrap_or(e).to_vec())
        };
        // luaL_loadfile skips a first line starting with '#' (keeping its newline).
        let src: &[u8] = src;
        let skipped;
        let src = if src.first() == Some(&b'#') {
            skipped = src.iter().position(|&c| c == b'\n').map_or(&b""[..], |n| &src[n..]);
            skipped
        } else {
            src
        };
        let ours = compile_at_depth(src, format!("@{file}").as_bytes(), 1)
            .map(|p| normalize(&listing(&p, true)))
            .map_err(|e| e.message);
        if ours != theirs {
            let keep = format!("/tmp/frontend-fuzz-{tag}-{i}.lua");
            std::fs::write(&keep, src).unwrap();
            let show = |r: &Result<Vec<u8>, Vec<u8>>| match r {
                Ok(l) | Err(l) => String::from_utf8_lossy(l).into_owned(),
            };
            std::fs::write(format!("{keep}.ours"), show(&ours)).unwrap();
            std::fs::write(format!("{keep}.luac"), show(&theirs)).unwrap();
            panic!("{keep}: differs from luac (see {keep}.ours / .luac)");
        }
        let _ = std::fs::remove_file(dir.join(&file));
    }
    sources.len()
}

#[test]
fn random_programs_list_as_luac() {
    let mut sources = Vec::new();
    let n: u64 = std::env::var("FRONTEND_FUZZ_N").ok().and_then(|v| v.parse().ok()).unwrap_or(400);
    let first: u64 = std::env::var("FRONTEND_FUZZ_SEED").ok().and_then(|v| v.parse().ok()).unwrap_or(1);
    for seed in first..first + n {
        let mut g = Gen { rng: Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1), out: String::new(), depth: 0 };
        g.block(true, false, 8);
        let src = g.out.into_bytes();
        // Every generated program is valid Lua.
        if let Err(e) = compile(&src, b"=gen") {
            panic!("seed {seed}: {}\n{}", String::from_utf8_lossy(&e.message), String::from_utf8_lossy(&src));
        }
        sources.push(src);
    }
    against_luac("programs", &sources);
}

#[test]
fn random_soups_fail_as_luac() {
    let mut rng = Rng(0x1234_5678_9ABC_DEF1);
    let n: usize = std::env::var("FRONTEND_FUZZ_N").ok().and_then(|v| v.parse().ok()).unwrap_or(600);
    let sources: Vec<Vec<u8>> = (0..n)
        .map(|i| if i % 3 == 0 { random_bytes(&mut rng) } else { token_soup(&mut rng).into_bytes() })
        .collect();
    against_luac("soups", &sources);
}

/// `loadstring(src)` in lua5.1 names the chunk after its source
/// (`[string "first line..."]`): messages must match ours with the source
/// as chunk name, from C-call depth 2 (a Lua script calling loadstring).
#[test]
fn random_soups_fail_as_loadstring() {
    if Command::new("lua5.1").arg("-v").output().is_err() {
        return;
    }
    let mut rng = Rng(0x0DDB_A11C_AFE5_F00D);
    let mut sources: Vec<Vec<u8>> = (0..400)
        .map(|i| if i % 3 == 0 { random_bytes(&mut rng) } else { token_soup(&mut rng).into_bytes() })
        .collect();
    sources.push(b"x = = 1".to_vec());
    sources.push(format!("x = {}", "y + ".repeat(40)).into_bytes());
    sources.push(b"\nx = = 1".to_vec());
    sources.push(b"=named\nx = = 1".to_vec());
    sources.push(b"@file\nx = = 1".to_vec());
    let dir = std::env::temp_dir().join(format!("redlet-loadstring-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (i, src) in sources.iter().enumerate() {
        std::fs::write(dir.join(format!("s{i}")), src).unwrap();
    }
    let script = format!(
        "for i = 0, {} do local h = io.open('{}/s' .. i, 'rb'); local s = h:read('*a'); h:close(); \
         local f, e = loadstring(s); io.write(f and 'OK' or e, '\\0') end",
        sources.len() - 1,
        dir.display()
    );
    let out = Command::new("lua5.1").arg("-e").arg(&script).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let theirs: Vec<&[u8]> = out.stdout.split(|&c| c == 0).collect();
    for (i, src) in sources.iter().enumerate() {
        let ours = match compile_at_depth(src, src, 2) {
            Ok(_) => b"OK".to_vec(),
            Err(e) => e.message,
        };
        assert_eq!(
            String::from_utf8_lossy(&ours),
            String::from_utf8_lossy(theirs[i]),
            "source {i}: {:?}",
            String::from_utf8_lossy(src)
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// Chunk names of every shape and length (`=name`, `@file`, source text
/// with newlines) abbreviate in messages as lua5.1's `loadstring(s, name)`
/// abbreviates them (luaO_chunkid with the lexer's 80-byte buffer).
#[test]
fn chunk_names_as_loadstring() {
    if Command::new("lua5.1").arg("-v").output().is_err() {
        return;
    }
    let mut rng = Rng(0x005E_ED0F_C0DE);
    let mut names: Vec<Vec<u8>> = Vec::new();
    for _ in 0..300 {
        let len = rng.below(160);
        let mut n: Vec<u8> = (0..len).map(|_| b"abcxyz_./ \n\r="[rng.below(13)]).collect();
        match rng.below(3) {
            0 => n.insert(0, b'='),
            1 => n.insert(0, b'@'),
            _ => {}
        }
        names.push(n);
    }
    let dir = std::env::temp_dir().join(format!("redlet-chunknames-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (i, n) in names.iter().enumerate() {
        std::fs::write(dir.join(format!("n{i}")), n).unwrap();
    }
    let script = format!(
        "for i = 0, {} do local h = io.open('{}/n' .. i, 'rb'); local n = h:read('*a'); h:close(); \
         local f, e = loadstring('x = = 1', n); io.write(e, '\\0'); \
         local ok, r = pcall(loadstring('error(\"x\")', n)); io.write(r, '\\0') end",
        names.len() - 1,
        dir.display()
    );
    let out = Command::new("lua5.1").arg("-e").arg(&script).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let theirs: Vec<&[u8]> = out.stdout.split(|&c| c == 0).collect();
    for (i, n) in names.iter().enumerate() {
        let ours = compile(b"x = = 1", n).unwrap_err().message;
        assert_eq!(String::from_utf8_lossy(&ours), String::from_utf8_lossy(theirs[2 * i]), "name {:?}", String::from_utf8_lossy(n));
        // Runtime errors use LUA_IDSIZE (60): proto::chunk_id.
        let mut runtime = redlet_lua::proto::chunk_id(n);
        runtime.extend_from_slice(b":1: x");
        assert_eq!(
            String::from_utf8_lossy(&runtime),
            String::from_utf8_lossy(theirs[2 * i + 1]),
            "name {:?}",
            String::from_utf8_lossy(n)
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// Corpus and error files with a few random byte edits (replace, delete,
/// insert a token, cut, duplicate a span): compiled or refused exactly as
/// luac5.1 compiles or refuses them.
#[test]
fn mutated_corpus_as_luac() {
    let mut seeds: Vec<Vec<u8>> = Vec::new();
    for d in ["frontend_corpus", "frontend_errors"] {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests").join(d);
        let mut files: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
        files.sort();
        for p in files {
            if p.extension().is_some_and(|e| e == "lua") {
                seeds.push(std::fs::read(p).unwrap());
            }
        }
    }
    const TOKENS: &[&[u8]] = &[
        b"(", b")", b"{", b"}", b"[", b"]", b"[[", b"]]", b"--", b"end", b"function", b"local", b"...", b"..", b"=",
        b",", b";", b"return", b"break", b"do", b"while", b"if", b"then", b"else", b"not", b"-", b"#", b"\"", b"'",
        b"\\", b"\n", b"0x", b"1e",
    ];
    let n: usize = std::env::var("FRONTEND_FUZZ_N").ok().and_then(|v| v.parse().ok()).unwrap_or(600);
    let mut rng = Rng(0xABCD_EF01_2345_6789);
    let mut sources = Vec::new();
    for _ in 0..n {
        let mut src = seeds[rng.below(seeds.len())].clone();
        for _ in 0..1 + rng.below(4) {
            if src.is_empty() {
                src.push(b'x');
            }
            let pos = rng.below(src.len());
            match rng.below(5) {
                0 => src[pos] = rng.next() as u8,
                1 => {
                    src.remove(pos);
                }
                2 => {
                    let t = TOKENS[rng.below(TOKENS.len())];
                    src.splice(pos..pos, t.iter().copied());
                }
                3 => {
                    let end = (pos + rng.below(40)).min(src.len());
                    src.drain(pos..end);
                }
                _ => {
                    let end = (pos + rng.below(60)).min(src.len());
                    let span = src[pos..end].to_vec();
                    let at = rng.below(src.len() + 1);
                    src.splice(at..at, span);
                }
            }
        }
        sources.push(src);
    }
    against_luac("mutants", &sources);
}
