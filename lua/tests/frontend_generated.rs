//! Generated chunks at and past the compiler's limits, against `luac` 5.1.5:
//! nesting depth, locals, upvalues, registers, assignment targets, SETLIST
//! batches past MAXARG_C, more than 256 constants (RK overflow), constant
//! table overflow and jumps too long. Each case states the expected
//! outcome, so it also runs without `luac5.1`; with it installed, the
//! whole listing or message is compared.

use std::fmt::Write as _;
use std::process::Command;

use redlet_lua::listing::listing;
use redlet_lua::parse::compile_at_depth;

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

/// luac's result for `src` saved as `gen_<name>.lua`, if luac5.1 is installed.
fn luac(name: &str, src: &str) -> Option<Result<Vec<u8>, Vec<u8>>> {
    Command::new("luac5.1").arg("-v").output().ok()?;
    let dir = std::env::temp_dir().join(format!("redlet-frontend-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = format!("gen_{name}.lua");
    std::fs::write(dir.join(&file), src).unwrap();
    let out = Command::new("luac5.1").args(["-l", "-l", "-p", &file]).current_dir(&dir).output().unwrap();
    let _ = std::fs::remove_file(dir.join(&file));
    Some(if out.status.success() {
        Ok(normalize(&out.stdout))
    } else {
        let e = out.stderr.strip_prefix(b"luac5.1: ").unwrap_or(&out.stderr);
        Err(e.strip_suffix(b"\n").unwrap_or(e).to_vec())
    })
}

/// Compiles `src` as luac would load `gen_<name>.lua`; checks the expected
/// error (`None`: must compile) and, with luac, the exact listing or message.
fn case(name: &str, src: &str, expected_error: Option<&str>) {
    let chunkname = format!("@gen_{name}.lua");
    let ours = compile_at_depth(src.as_bytes(), chunkname.as_bytes(), 1)
        .map(|p| normalize(&listing(&p, true)))
        .map_err(|e| e.message);
    match (&ours, expected_error) {
        (Ok(_), None) => {}
        (Err(m), Some(e)) => assert_eq!(String::from_utf8_lossy(m), e, "{name}"),
        (Ok(_), Some(e)) => panic!("{name}: compiled, expected {e}"),
        (Err(m), None) => panic!("{name}: {}", String::from_utf8_lossy(m)),
    }
    if let Some(theirs) = luac(name, src) {
        match (&ours, &theirs) {
            (Ok(a), Ok(b)) | (Err(a), Err(b)) => {
                if a != b {
                    let _ = std::fs::write(format!("/tmp/frontend-gen-{name}.ours"), a);
                    let _ = std::fs::write(format!("/tmp/frontend-gen-{name}.luac"), b);
                    panic!("{name}: differs from luac (see /tmp/frontend-gen-{name}.*)");
                }
            }
            _ => panic!("{name}: ours {:?} luac {:?}", ours.is_ok(), theirs.is_ok()),
        }
    }
}

#[test]
fn nesting_depth() {
    let parens = |n: usize| format!("x = {}1{}", "(".repeat(n), ")".repeat(n));
    case("parens197", &parens(197), None);
    case("parens198", &parens(198), Some("gen_parens198.lua:1: chunk has too many syntax levels"));
    let blocks = |n: usize| format!("{}x = 1{}", "do ".repeat(n), " end".repeat(n));
    case("blocks197", &blocks(197), None);
    case("blocks198", &blocks(198), Some("gen_blocks198.lua:1: chunk has too many syntax levels"));
    let funcs = |n: usize| format!("{}return 1{}", "return function() ".repeat(n), " end".repeat(n));
    case("funcs98", &funcs(98), None);
    case("funcs99", &funcs(99), Some("gen_funcs99.lua:1: chunk has too many syntax levels"));
    let unary = |n: usize| format!("x = {}1", "- ".repeat(n));
    case("unary197", &unary(197), None);
    case("unary198", &unary(198), Some("gen_unary198.lua:1: chunk has too many syntax levels"));
    let tables = |n: usize| format!("x = {}{}", "{".repeat(n), "}".repeat(n));
    case("tables198", &tables(198), None);
    case("tables199", &tables(199), Some("gen_tables199.lua:1: chunk has too many syntax levels"));
    let pow = |n: usize| format!("x = 2{}", " ^ 2".repeat(n));
    case("pow197", &pow(197), None);
    case("pow198", &pow(198), Some("gen_pow198.lua:1: chunk has too many syntax levels"));
    let concat = (0..240).map(|i| format!("a{i}")).collect::<Vec<_>>().join(" .. ");
    case("concat240", &format!("x = {concat}"), Some("gen_concat240.lua:1: chunk has too many syntax levels"));
    let ifs = |n: usize| format!("{}x = 1{}", "if a then ".repeat(n), " end".repeat(n));
    case("ifs197", &ifs(197), None);
    case("ifs198", &ifs(198), Some("gen_ifs198.lua:1: chunk has too many syntax levels"));
    let calls = |n: usize| format!("x = {}1{}", "f(".repeat(n), ")".repeat(n));
    case("calls197", &calls(197), None);
    case("calls198", &calls(198), Some("gen_calls198.lua:1: chunk has too many syntax levels"));
    // Very deep input never reaches the Rust stack's limit.
    case("parens100k", &parens(100_000), Some("gen_parens100k.lua:1: chunk has too many syntax levels"));
}

#[test]
fn locals_upvalues_registers() {
    let locals = |n: usize| (0..n).map(|i| format!("local l{i} = {i}\n")).collect::<String>();
    case("locals200", &locals(200), None);
    case("locals201", &locals(201), Some("gen_locals201.lua:201: main function has more than 200 local variables"));
    let multi = |n: usize| format!("local {}", (0..n).map(|i| format!("v{i}")).collect::<Vec<_>>().join(", "));
    case("multi201", &multi(201), Some("gen_multi201.lua:1: main function has more than 200 local variables"));
    let ups = |n: usize| {
        let mut s = locals(n);
        s.push_str("local function f()\n  return ");
        s.push_str(&(0..n).map(|i| format!("l{i}")).collect::<Vec<_>>().join(" + "));
        s.push_str("\nend\n");
        s
    };
    case("ups60", &ups(60), None);
    case("ups61", &ups(61), Some("gen_ups61.lua:64: function at line 62 has more than 60 upvalues"));
    let args = |n: usize| format!("f({})", (0..n).map(|i| format!("{i}")).collect::<Vec<_>>().join(", "));
    case("args248", &args(248), None);
    case("args249", &args(249), Some("gen_args249.lua:1: function or expression too complex near '<eof>'"));
    let lhs = |n: usize| format!("{} = 1", (0..n).map(|i| format!("g{i}")).collect::<Vec<_>>().join(", "));
    case("assign190", &lhs(190), None);
    case("assign300", &lhs(300), Some("gen_assign300.lua:1: main function has more than 198 variables in assignment"));
    let locvars = |n: usize| "do local a end\n".repeat(n);
    case("locvars32767", &locvars(32767), None);
    case("locvars32768", &locvars(32768), Some("too many local variables"));
}

#[test]
fn constructors_and_constants() {
    let list = |n: usize, tail: &str| format!("local t = {{{}{tail}}}", (0..n).map(|i| format!("{i}, ")).collect::<String>());
    for n in [49, 50, 51, 99, 100, 101, 150] {
        case(&format!("list{n}"), &list(n, ""), None);
        case(&format!("list{n}call"), &list(n, "f()"), None);
        case(&format!("list{n}dots"), &list(n, "..."), None);
        case(&format!("list{n}hash"), &list(n, "x = 1, [f()] = g(), y = ..."), None);
    }
    // C past MAXARG_C: the batch number goes in the next instruction.
    case("list25600", &list(25600, ""), None);
    let many = |n: usize| {
        let mut s = String::from("local a, t = ...\n");
        for i in 0..n {
            let _ = writeln!(s, "t.k{i} = {i}.5");
        }
        s.push_str("t[1000] = a + 1000.25; t.x = a == 'zz'; t.y = a < 77.5; t.z = nil; t.w = true; t[a] = false\n");
        s.push_str("local b = a .. 'yy' .. 99.5; if a ~= 'k1' then t.v = -a end; return t.k1, 'k1', 300.5\n");
        s
    };
    case("const100", &many(100), None);
    case("const300", &many(300), None);
    let globals = |n: usize| (0..n).map(|i| format!("g{i} = {i}\n")).collect::<String>();
    case("globals2000", &globals(2000), None);
    let overflow = |n: usize| {
        let mut s = String::from("local t = {\n");
        for i in 0..n {
            let _ = writeln!(s, "{i}.5,");
        }
        s.push('}');
        s
    };
    case("constants262143", &overflow(262_142), None);
    case("constants262144", &overflow(262_144), Some("constant table overflow"));
}

#[test]
fn long_jumps() {
    let body = |n: usize| "x = x + 1\n".repeat(n);
    case("jump40000", &format!("while x do\n{}end", body(40000)), None);
    case(
        "jump45000",
        &format!("while x do\n{}end", body(45000)),
        Some("gen_jump45000.lua:45002: control structure too long near 'end'"),
    );
    case("if45000", &format!("if x then\n{}end", body(45000)), Some("gen_if45000.lua:45002: control structure too long near '<eof>'"));
}

/// The deepest nesting each construct allows compiles within a 512 KiB
/// stack (about 1.3 KiB per level in a debug build, much less optimized):
/// the depth limit, not the host's stack, is what stops hostile input.
#[test]
fn deepest_nesting_fits_in_a_small_stack() {
    let cases = [
        format!("x = {}1{}", "(".repeat(198), ")".repeat(198)),
        format!("{}return 1{}", "return function() ".repeat(99), " end".repeat(99)),
        format!("x = {}{}", "{".repeat(199), "}".repeat(199)),
        format!("{}x = 1{}", "if a then ".repeat(198), " end".repeat(198)),
        format!("x = {}1{}", "f(".repeat(198), ")".repeat(198)),
        format!("{}x = 1{}", "repeat ".repeat(198), " until x".repeat(198)),
        format!("{}x = 1{}", "while (x) do ".repeat(198), " end".repeat(198)),
        format!("{}return 1{}", "local function f() ".repeat(99), " end".repeat(99)),
    ];
    std::thread::Builder::new()
        .stack_size(512 * 1024)
        .spawn(move || {
            for src in &cases {
                let _ = redlet_lua::parse::compile(src.as_bytes(), b"=deep");
            }
        })
        .unwrap()
        .join()
        .unwrap();
}
