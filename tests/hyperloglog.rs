//! HyperLogLog commands through `execute`, replies checked byte for byte
//! against Redis 7.0.15 (HLL values included: GET after the same PFADDs
//! gives the same bytes), plus typed-API agreement and a recorded
//! randomized run.
mod common;
use common::*;

#[path = "data/replay.rs"]
mod replay;
use replay::Gen;

/// The randomized script: PFADD (small and large batches, so values go
/// from sparse to dense), PFCOUNT on one and several keys, PFMERGE, GET of
/// the raw values, corruption through SETRANGE/APPEND, and changes of
/// `hll-sparse-max-bytes`.
fn random_script() -> Vec<String> {
    let mut g = Gen(0x0011_face_b00c);
    let mut out = vec!["SADD l a".to_string(), "SET s hello".to_string()];
    let keys = ["h0", "h1", "h2", "h3", "h4", "nokey"];
    let mut universe = 50i64;
    for _ in 0..2400 {
        let k = match g.below(100) {
            0 => "l",
            1 => "s",
            _ => g.pick(&keys),
        };
        let cmd = match g.below(40) {
            0..=13 => {
                let n = match g.below(20) {
                    0 => 0,
                    1..=2 => g.range(100, 600),
                    _ => g.range(1, 8),
                };
                if g.chance(10) {
                    universe += 200;
                }
                let eles: Vec<String> = (0..n).map(|_| format!("e{}", g.range(0, universe))).collect();
                if eles.is_empty() {
                    format!("PFADD {k}")
                } else {
                    format!("PFADD {k} {}", eles.join(" "))
                }
            }
            14..=20 => format!("PFCOUNT {k}"),
            21..=23 => {
                let more: Vec<&str> = (0..g.range(1, 3)).map(|_| g.pick(&keys)).collect();
                format!("PFCOUNT {k} {}", more.join(" "))
            }
            24..=26 => {
                let srcs: Vec<&str> = (0..g.range(0, 3)).map(|_| g.pick(&keys)).collect();
                if srcs.is_empty() {
                    format!("PFMERGE {}", g.pick(&keys[..5]))
                } else {
                    format!("PFMERGE {} {}", g.pick(&keys[..5]), srcs.join(" "))
                }
            }
            27..=31 => format!("GET {k}"),
            32 => format!("PFDEBUG {} {k}", g.pick(&["ENCODING", "DECODE", "encoding", "TODENSE", "nope"])),
            35 if g.chance(20) => format!("CONFIG SET hll-sparse-max-bytes {}", g.pick(&["0", "40", "100", "500", "3000", "3000", "20000"])),
            36 if g.chance(15) => format!("GETDEL {k}"),
            37 => format!("STRLEN {k}"),
            _ => format!("PFCOUNT {k}"),
        };
        out.push(cmd);
    }
    // Corrupted and crafted values: build an HLL (sparse or dense), damage
    // it, then run every command on it.
    for case in 0..150 {
        let n = if g.chance(10) { g.range(300, 900) } else { g.range(0, 60) };
        let eles: Vec<String> = (0..n).map(|j| format!("c{case}x{j}")).collect();
        out.push(format!("PFADD h5 {}", eles.join(" ")).trim_end().to_string());
        if g.chance(30) {
            out.push("PFDEBUG TODENSE h5".to_string());
        }
        out.push("PFADD h6 q1 q2 q3".to_string());
        for _ in 0..g.range(1, 2) {
            out.push(match g.below(6) {
                0..=2 => {
                    let at = match g.below(5) {
                        0 => g.range(0, 5),
                        1 => g.range(8, 15),
                        _ => g.range(16, 60),
                    };
                    let junk = g.pick(&["A", "z", "0", "~", "@", "?", "zz", "\u{7f}", "abcdefg", "HYLL", "AAAAAAA", "Z", "o"]);
                    format!("SETRANGE h5 {at} {junk}")
                }
                3 => format!("APPEND h5 {}", g.pick(&["x", "A", "\u{7f}", "@", "z", "!", "xx", "AB"])),
                4 => format!("SETRANGE h5 {} {}", g.range(8, 14), g.pick(&["a", "abc", "\u{7f}", "0"])),
                _ => format!("SETRANGE h5 4 {}", g.pick(&["\u{1}", "\u{0}", "0", "\u{2}"])),
            });
        }
        out.push("PFDEBUG ENCODING h5".to_string());
        out.push("PFCOUNT h5".to_string());
        out.push("PFCOUNT h5 h6".to_string());
        out.push(format!("PFADD h5 {}", (0..g.range(1, 30)).map(|j| format!("d{j}")).collect::<Vec<_>>().join(" ")));
        out.push("PFCOUNT h5".to_string());
        out.push("GET h5".to_string());
        out.push("PFMERGE h6 h5".to_string());
        out.push("PFMERGE h5 h6".to_string());
        out.push("GET h5".to_string());
        out.push("GETDEL h5".to_string());
        out.push("GETDEL h6".to_string());
    }
    // Crafted dense values whose registers repeat a 4-register pattern,
    // partly overwritten by a second one: histograms with zeros, 51s (the
    // estimator's tau term) and values the hash can never produce.
    let pick_reg = |g: &mut Gen| -> u32 {
        match g.below(10) {
            0..=2 => 0,
            3 => 51,
            4 => g.range(50, 63) as u32,
            _ => g.range(1, 20) as u32,
        }
    };
    let pack = |r: [u32; 4]| -> String {
        let b = [r[0] | (r[1] << 6), (r[1] >> 2) | (r[2] << 4), (r[2] >> 4) | (r[3] << 2)];
        b.iter().map(|x| format!("{:02x}", x & 0xff)).collect()
    };
    for _ in 0..60 {
        let p1 = pack([pick_reg(&mut g), pick_reg(&mut g), pick_reg(&mut g), pick_reg(&mut g)]);
        let p2 = pack([pick_reg(&mut g), pick_reg(&mut g), pick_reg(&mut g), pick_reg(&mut g)]);
        let cache = if g.chance(80) { "0000000000000080" } else { "0102030405060700" };
        out.push(format!("SET hx @48594c4c00000000{cache}+{p1}*4096"));
        let at = g.range(0, 4095);
        let n = g.range(1, 4096 - at);
        out.push(format!("SETRANGE hx {} @{p2}*{n}", 16 + 3 * at));
        out.push("PFCOUNT hx".to_string());
        out.push("PFCOUNT hx nokey".to_string());
        out.push(format!("PFADD hx {}", (0..g.range(0, 5)).map(|j| format!("y{j}")).collect::<Vec<_>>().join(" ")).trim_end().to_string());
        out.push("PFCOUNT hx".to_string());
        out.push("PFMERGE hy hx".to_string());
        out.push("PFCOUNT hy".to_string());
        out.push("GET hy".to_string());
        out.push("GETDEL hy".to_string());
    }
    out
}

#[test]
fn randomized_script_matches_redis() {
    let script = random_script();
    let expected = include_str!("data/hyperloglog_random.txt");
    if !replay::script_matches(&script, expected) {
        return;
    }
    let (mut e, _clock) = engine();
    assert_eq!(replay::replay(&mut e, expected), script.len());
}
