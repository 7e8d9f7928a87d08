//! Numerals and constant folding, bit for bit against lua5.1: random
//! decimal and hexadecimal numerals (long mantissas, extreme exponents,
//! subnormals) and folded `+ - * / % ^` and unary minus on them. lua5.1
//! prints each value with `%.17g`, which round-trips a double exactly.

use std::process::Command;

use redlet_lua::parse::compile;
use redlet_lua::proto::{get_op, Constant, OpCode};

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// `min + below(span)` random digits.
fn digits(rng: &mut Rng, min: u64, span: u64, hex: bool) -> String {
    let n = min + rng.below(span);
    let set: &[u8] = if hex { b"0123456789abcdefABCDEF" } else { b"0123456789" };
    (0..n).map(|_| set[rng.below(set.len() as u64) as usize] as char).collect()
}

fn numeral(rng: &mut Rng) -> String {
    match rng.below(10) {
        0 | 1 => format!("0x{}", digits(rng, 1, 20, true)),
        2 => format!("{}", rng.below(1000)),
        3 => format!("{}e{}", digits(rng, 1, 3, false), 280 + rng.below(60)),
        4 => format!("{}e-{}", digits(rng, 1, 20, false), 290 + rng.below(40)),
        _ => {
            let int = digits(rng, 1, 25, false);
            let frac = if rng.below(2) == 0 { format!(".{}", digits(rng, 0, 25, false)) } else { String::new() };
            let exp = if rng.below(3) == 0 {
                format!("e{}{}", ["", "+", "-"][rng.below(3) as usize], rng.below(40))
            } else {
                String::new()
            };
            format!("{int}{frac}{exp}")
        }
    }
}

/// The value `return <expr>` folds to, if it folds to one constant.
fn folded(expr: &str) -> Option<f64> {
    let p = compile(format!("return {expr}").as_bytes(), b"=n").unwrap();
    if p.code.len() != 3 || get_op(p.code[0]) != Some(OpCode::LoadK) {
        return None;
    }
    match p.constants.first() {
        Some(Constant::Number(n)) => Some(*n),
        _ => None,
    }
}

#[test]
fn numerals_and_folding_equal_lua() {
    if Command::new("lua5.1").arg("-v").output().is_err() {
        return;
    }
    let mut rng = Rng(0xC0FF_EE12_3456_789B);
    let mut exprs = Vec::new();
    for _ in 0..3000 {
        exprs.push(numeral(&mut rng));
    }
    for _ in 0..3000 {
        let op = ["+", "-", "*", "/", "%", "^", "^", "^"][rng.below(8) as usize];
        let small = |rng: &mut Rng| {
            let i = rng.below(20);
            format!("{i}.{}", digits(rng, 0, 6, false))
        };
        let (a, b) = if rng.below(2) == 0 { (numeral(&mut rng), numeral(&mut rng)) } else { (small(&mut rng), small(&mut rng)) };
        let neg = if rng.below(3) == 0 { "- " } else { "" };
        exprs.push(format!("{neg}({a}) {op} ({b})"));
    }
    let dir = std::env::temp_dir().join(format!("redlet-numbers-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let list = dir.join("exprs");
    std::fs::write(&list, exprs.join("\n") + "\n").unwrap();
    let script = format!(
        "for l in io.lines('{}') do io.write(string.format('%.17g', loadstring('return ' .. l)()), '\\n') end",
        list.display()
    );
    let out = Command::new("lua5.1").arg("-e").arg(&script).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let theirs = String::from_utf8(out.stdout).unwrap();
    let mut checked = 0;
    let mut pow_ulp = 0;
    for (e, t) in exprs.iter().zip(theirs.lines()) {
        let Some(ours) = folded(e) else { continue };
        let t: f64 = match t {
            "inf" => f64::INFINITY,
            "-inf" => f64::NEG_INFINITY,
            _ => t.parse().unwrap_or_else(|_| panic!("{e}: lua printed {t}")),
        };
        checked += 1;
        if ours.to_bits() != t.to_bits() && e.contains('^') && (ours.to_bits() as i64 - t.to_bits() as i64).abs() == 1 {
            // libm's pow (FreeBSD's e_pow.c) is not glibc's: off by one ulp
            // now and then. Known difference, counted below.
            pow_ulp += 1;
            continue;
        }
        assert_eq!(ours.to_bits(), t.to_bits(), "{e}: ours {ours:e} lua {t:e}");
    }
    assert!(checked > 5000, "{checked}");
    assert!(pow_ulp * 50 < checked, "pow differs by an ulp in {pow_ulp} of {checked}");
    eprintln!("{checked} folded values equal lua5.1's; pow off by one ulp in {pow_ulp}");
    let _ = std::fs::remove_dir_all(&dir);
}
