//! A bytecode listing in the exact format of `luac -l -l` (Lua 5.1.5's
//! print.c), so that tests can compare our compiler with the real `luac`
//! byte for byte. Only the addresses (`%p` in C) differ: we print each
//! prototype's address in memory, so comparisons normalize `0x[0-9a-f]+`.
//!
//! Like print.c, names and strings are read as C strings where print.c uses
//! `%s` (up to a NUL byte), and string constants are escaped as print.c's
//! PrintString does.

use alloc::format;
use alloc::vec::Vec;

use crate::number::fmt_number;
use crate::proto::{get_a, get_b, get_bx, get_c, get_op, get_sbx, index_k, is_k, Constant, OpArgMode, OpCode, OpMode, Proto};

/// The listing `luac -l -l` prints for `p` and, recursively, its nested
/// functions (with `full` false, what `luac -l` prints: no constants,
/// locals and upvalues sections).
///
/// ```
/// let p = redlet_lua::parse::compile(b"x = 1", b"@t.lua").unwrap();
/// let text = redlet_lua::listing::listing(&p, true);
/// assert!(text.starts_with(b"\nmain <t.lua:0,0> (3 instructions, 12 bytes at 0x"));
/// ```
pub fn listing(p: &Proto, full: bool) -> Vec<u8> {
    let mut out = Vec::new();
    print_function(p, full, &mut out);
    out
}

fn addr(p: &Proto) -> Vec<u8> {
    format!("{:#x}", p as *const Proto as usize).into_bytes()
}

/// The bytes of a C string: up to the first NUL.
fn c_str(s: &[u8]) -> &[u8] {
    match s.iter().position(|&c| c == 0) {
        Some(n) => &s[..n],
        None => s,
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

fn print_string(s: &[u8], out: &mut Vec<u8>) {
    out.push(b'"');
    for &c in s {
        match c {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            7 => out.extend_from_slice(b"\\a"),
            8 => out.extend_from_slice(b"\\b"),
            12 => out.extend_from_slice(b"\\f"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\t' => out.extend_from_slice(b"\\t"),
            11 => out.extend_from_slice(b"\\v"),
            0x20..=0x7e => out.push(c),
            _ => out.extend_from_slice(format!("\\{c:03}").as_bytes()),
        }
    }
    out.push(b'"');
}

fn print_constant(p: &Proto, i: usize, out: &mut Vec<u8>) {
    match p.constants.get(i) {
        Some(Constant::Nil) => out.extend_from_slice(b"nil"),
        Some(Constant::Boolean(b)) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
        Some(Constant::Number(n)) => fmt_number(*n, out),
        Some(Constant::String(s)) => print_string(s, out),
        None => out.extend_from_slice(b"? type=-1"),
    }
}

fn print_header(p: &Proto, out: &mut Vec<u8>) {
    let src = c_str(&p.source);
    let s: &[u8] = match src.first() {
        Some(b'@' | b'=') => &src[1..],
        Some(27) => b"(bstring)",
        _ => b"(string)",
    };
    let n = p.code.len();
    out.extend_from_slice(if p.linedefined == 0 { b"\nmain <" } else { b"\nfunction <" });
    out.extend_from_slice(s);
    out.extend_from_slice(format!(":{},{}> ({} instruction{}, {} bytes at ", p.linedefined, p.lastlinedefined, n, plural(n), n * 4).as_bytes());
    out.extend_from_slice(&addr(p));
    out.extend_from_slice(b")\n");
    let np = usize::from(p.numparams);
    let slots = usize::from(p.maxstacksize);
    let nups = usize::from(p.nups);
    out.extend_from_slice(
        format!(
            "{}{} param{}, {} slot{}, {} upvalue{}, ",
            np,
            if p.is_vararg != 0 { "+" } else { "" },
            plural(np),
            slots,
            plural(slots),
            nups,
            plural(nups)
        )
        .as_bytes(),
    );
    let (nl, nk, nf) = (p.locvars.len(), p.constants.len(), p.protos.len());
    out.extend_from_slice(
        format!("{} local{}, {} constant{}, {} function{}\n", nl, plural(nl), nk, plural(nk), nf, plural(nf)).as_bytes(),
    );
}

fn rk(x: usize) -> i64 {
    if is_k(x) {
        -1 - index_k(x) as i64
    } else {
        x as i64
    }
}

fn print_code(p: &Proto, out: &mut Vec<u8>) {
    let code = &p.code;
    let mut pc = 0;
    while pc < code.len() {
        let i = code[pc];
        let (a, b, c, bx, sbx) = (get_a(i), get_b(i), get_c(i), get_bx(i), get_sbx(i));
        let line = p.lineinfo.get(pc).copied().unwrap_or(0);
        out.extend_from_slice(format!("\t{}\t", pc + 1).as_bytes());
        if line > 0 {
            out.extend_from_slice(format!("[{line}]\t").as_bytes());
        } else {
            out.extend_from_slice(b"[-]\t");
        }
        let Some(o) = get_op(i) else {
            out.extend_from_slice(b"?\n");
            pc += 1;
            continue;
        };
        out.extend_from_slice(format!("{:<9}\t", o.name()).as_bytes());
        match o.mode() {
            OpMode::ABC => {
                out.extend_from_slice(format!("{a}").as_bytes());
                if o.b_mode() != OpArgMode::N {
                    out.extend_from_slice(format!(" {}", rk(b)).as_bytes());
                }
                if o.c_mode() != OpArgMode::N {
                    out.extend_from_slice(format!(" {}", rk(c)).as_bytes());
                }
            }
            OpMode::ABx => {
                if o.b_mode() == OpArgMode::K {
                    out.extend_from_slice(format!("{} {}", a, -1 - bx as i64).as_bytes());
                } else {
                    out.extend_from_slice(format!("{a} {bx}").as_bytes());
                }
            }
            OpMode::AsBx => {
                if o == OpCode::Jmp {
                    out.extend_from_slice(format!("{sbx}").as_bytes());
                } else {
                    out.extend_from_slice(format!("{a} {sbx}").as_bytes());
                }
            }
        }
        match o {
            OpCode::LoadK => {
                out.extend_from_slice(b"\t; ");
                print_constant(p, bx, out);
            }
            OpCode::GetUpval | OpCode::SetUpval => {
                out.extend_from_slice(b"\t; ");
                if p.upvalue_names.is_empty() {
                    out.push(b'-');
                } else if let Some(n) = p.upvalue_names.get(b) {
                    out.extend_from_slice(c_str(n));
                }
            }
            OpCode::GetGlobal | OpCode::SetGlobal => {
                out.extend_from_slice(b"\t; ");
                if let Some(Constant::String(s)) = p.constants.get(bx) {
                    out.extend_from_slice(c_str(s));
                }
            }
            OpCode::GetTable | OpCode::Self_ if is_k(c) => {
                out.extend_from_slice(b"\t; ");
                print_constant(p, index_k(c), out);
            }
            OpCode::SetTable
            | OpCode::Add
            | OpCode::Sub
            | OpCode::Mul
            | OpCode::Div
            | OpCode::Pow
            | OpCode::Eq
            | OpCode::Lt
            | OpCode::Le
                if is_k(b) || is_k(c) =>
            {
                out.extend_from_slice(b"\t; ");
                if is_k(b) {
                    print_constant(p, index_k(b), out);
                } else {
                    out.push(b'-');
                }
                out.push(b' ');
                if is_k(c) {
                    print_constant(p, index_k(c), out);
                } else {
                    out.push(b'-');
                }
            }
            OpCode::Jmp | OpCode::ForLoop | OpCode::ForPrep => {
                out.extend_from_slice(format!("\t; to {}", i64::from(sbx) + pc as i64 + 2).as_bytes());
            }
            OpCode::Closure => {
                out.extend_from_slice(b"\t; ");
                match p.protos.get(bx) {
                    Some(f) => out.extend_from_slice(&addr(f)),
                    None => out.extend_from_slice(b"(nil)"),
                }
            }
            OpCode::SetList => {
                if c == 0 {
                    pc += 1;
                    let n = code.get(pc).copied().unwrap_or(0) as i32;
                    out.extend_from_slice(format!("\t; {n}").as_bytes());
                } else {
                    out.extend_from_slice(format!("\t; {c}").as_bytes());
                }
            }
            _ => {}
        }
        out.push(b'\n');
        pc += 1;
    }
}

fn print_function(p: &Proto, full: bool, out: &mut Vec<u8>) {
    print_header(p, out);
    print_code(p, out);
    if full {
        out.extend_from_slice(format!("constants ({}) for ", p.constants.len()).as_bytes());
        out.extend_from_slice(&addr(p));
        out.extend_from_slice(b":\n");
        for i in 0..p.constants.len() {
            out.extend_from_slice(format!("\t{}\t", i + 1).as_bytes());
            print_constant(p, i, out);
            out.push(b'\n');
        }
        out.extend_from_slice(format!("locals ({}) for ", p.locvars.len()).as_bytes());
        out.extend_from_slice(&addr(p));
        out.extend_from_slice(b":\n");
        for (i, v) in p.locvars.iter().enumerate() {
            out.extend_from_slice(format!("\t{i}\t").as_bytes());
            out.extend_from_slice(c_str(&v.name));
            out.extend_from_slice(format!("\t{}\t{}\n", v.startpc + 1, v.endpc + 1).as_bytes());
        }
        out.extend_from_slice(format!("upvalues ({}) for ", p.upvalue_names.len()).as_bytes());
        out.extend_from_slice(&addr(p));
        out.extend_from_slice(b":\n");
        for (i, n) in p.upvalue_names.iter().enumerate() {
            out.extend_from_slice(format!("\t{i}\t").as_bytes());
            out.extend_from_slice(c_str(n));
            out.push(b'\n');
        }
    }
    for f in &p.protos {
        print_function(f, full, out);
    }
}
