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

const NOT_HLL: &str = "-WRONGTYPE Key is not a valid HyperLogLog string value.\r\n";
const WRONGTYPE: &str = "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n";
const CORRUPT: &str = "-INVALIDOBJ Corrupted HLL object detected\r\n";

/// Runs raw argv and renders RESP2.
fn resp_argv(e: &mut redlet::Engine, c: redlet::ClientId, a: &[&[u8]]) -> String {
    String::from_utf8_lossy(&run_argv(e, c, a).unwrap().to_resp(redlet::Protocol::Resp2)).into_owned()
}

/// `GET key` as raw bytes.
fn get(e: &mut redlet::Engine, c: redlet::ClientId, key: &str) -> Vec<u8> {
    match run(e, c, &format!("GET {key}")) {
        redlet::Reply::Bulk(b) => b,
        other => panic!("{other:?}"),
    }
}

/// PFADD of `e0 .. e{n-1}`.
fn pfadd_n(e: &mut redlet::Engine, c: redlet::ClientId, key: &str, n: usize) -> String {
    let line = format!("PFADD {key} {}", (0..n).map(|i| format!("e{i}")).collect::<Vec<_>>().join(" "));
    resp(e, c, &line)
}

/// Redis 7.0.15's value after `PFADD s a b ... z` and `PFCOUNT s` (sparse,
/// cache valid at 25).
const REDIS_SPARSE_AZ: &str = "48594c4c01000000190000000000000044458c42268040898846e89441758440ec840e8040c484449094446680426280443c843880408f8041ac8047d18043b08042ed8441fc8c43938443188840df80426d8041d080407e8408";

#[test]
fn sparse_bytes_match_redis() {
    let (mut e, _clock) = engine();
    let c = client(&mut e);
    let letters: Vec<String> = (b'a'..=b'z').map(|b| (b as char).to_string()).collect();
    assert_eq!(resp(&mut e, c, &format!("PFADD s {}", letters.join(" "))), ":1\r\n");
    assert_eq!(resp(&mut e, c, "PFCOUNT s"), ":25\r\n");
    assert_eq!(get(&mut e, c, "s"), replay::unhex(REDIS_SPARSE_AZ));
    assert_eq!(resp(&mut e, c, "PFDEBUG ENCODING s"), "+sparse\r\n");
    // Adding elements already counted changes nothing.
    assert_eq!(resp(&mut e, c, "PFADD s a b c"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "PFADD s"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "PFADD new"), ":1\r\n");
    assert_eq!(resp(&mut e, c, "PFCOUNT new"), ":0\r\n");
}

#[test]
fn larger_values_match_redis_bytes_and_promote_at_3000_bytes() {
    let (mut e, _clock) = engine();
    let c = client(&mut e);
    // (elements, PFCOUNT, encoding, RESP length and FNV-1a of GET) from Redis 7.0.15.
    let cases = [
        (1000, 1008, "sparse", 1915, 0xefb1_ddaa_7890_6e97u64),
        (1400, 1407, "sparse", 2570, 0x5482_7538_2b1b_dd4f),
        (3000, 2979, "dense", 12314, 0x16f9_40be_a380_3fb0),
    ];
    for (n, card, enc, len, fnv) in cases {
        let key = format!("d{n}");
        assert_eq!(pfadd_n(&mut e, c, &key, n), ":1\r\n");
        assert_eq!(resp(&mut e, c, &format!("PFDEBUG ENCODING {key}")), format!("+{enc}\r\n"));
        assert_eq!(resp(&mut e, c, &format!("PFCOUNT {key}")), format!(":{card}\r\n"));
        let r = run(&mut e, c, &format!("GET {key}")).to_resp(redlet::Protocol::Resp2);
        assert_eq!((r.len(), replay::fnv1a(&r)), (len, fnv), "{key}");
    }
}

#[test]
fn accepts_hll_values_made_by_redis() {
    let (mut e, _clock) = engine();
    let c = client(&mut e);
    let mut v = replay::unhex(REDIS_SPARSE_AZ);
    assert_eq!(resp_argv(&mut e, c, &[b"SET", b"x", &v]), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "PFCOUNT x"), ":25\r\n");
    // With the cache marked stale the estimate is recomputed, and stored.
    v[15] |= 0x80;
    assert_eq!(resp_argv(&mut e, c, &[b"SET", b"y", &v]), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "PFCOUNT y"), ":25\r\n");
    assert_eq!(get(&mut e, c, "y"), replay::unhex(REDIS_SPARSE_AZ));
    // A valid cache is trusted as is.
    v[8] = 99;
    v[15] = 0;
    assert_eq!(resp_argv(&mut e, c, &[b"SET", b"z", &v]), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "PFCOUNT z"), ":99\r\n");
    assert_eq!(resp(&mut e, c, "PFCOUNT z nokey"), ":25\r\n");
}

#[test]
fn crafted_dense_estimate_overflows_like_redis() {
    // Every register at 63: Redis's llroundl of an infinite estimate gives
    // LLONG_MIN, and the stored cache (top bit set) stays stale.
    let (mut e, _clock) = engine();
    let c = client(&mut e);
    let mut v = vec![0xffu8; 12304];
    v[..8].copy_from_slice(b"HYLL\0\0\0\0");
    assert_eq!(resp_argv(&mut e, c, &[b"SET", b"d", &v]), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "PFCOUNT d"), ":-9223372036854775808\r\n");
    assert_eq!(resp(&mut e, c, "PFCOUNT d d"), ":-9223372036854775808\r\n");
    assert_eq!(&get(&mut e, c, "d")[8..16], &[0, 0, 0, 0, 0, 0, 0, 0x80]);
}

#[test]
fn errors_match_redis() {
    let (mut e, _clock) = engine();
    let c = client(&mut e);
    resp(&mut e, c, "SADD l a");
    resp(&mut e, c, "SET n 12");
    resp(&mut e, c, "SET s HYLLxxxxxxxxxxxxxxxx");
    resp(&mut e, c, "PFADD h a");
    for k in ["n", "s"] {
        assert_eq!(resp(&mut e, c, &format!("PFADD {k} a")), NOT_HLL);
        assert_eq!(resp(&mut e, c, &format!("PFCOUNT {k}")), NOT_HLL);
        assert_eq!(resp(&mut e, c, &format!("PFCOUNT h {k}")), NOT_HLL);
        assert_eq!(resp(&mut e, c, &format!("PFMERGE h {k}")), NOT_HLL);
        assert_eq!(resp(&mut e, c, &format!("PFDEBUG ENCODING {k}")), NOT_HLL);
    }
    assert_eq!(resp(&mut e, c, "PFADD l a"), WRONGTYPE);
    assert_eq!(resp(&mut e, c, "PFCOUNT l"), WRONGTYPE);
    assert_eq!(resp(&mut e, c, "PFMERGE l h"), WRONGTYPE);
    assert_eq!(resp(&mut e, c, "PFMERGE h l"), WRONGTYPE);
    assert_eq!(resp(&mut e, c, "PFCOUNT h l"), WRONGTYPE);
    assert_eq!(resp(&mut e, c, "PFADD"), "-ERR wrong number of arguments for 'pfadd' command\r\n");
    assert_eq!(resp(&mut e, c, "PFDEBUG ENCODING nokey"), "-ERR The specified key does not exist\r\n");
    assert_eq!(resp(&mut e, c, "PFDEBUG FOO nokey"), "-ERR The specified key does not exist\r\n");
    assert_eq!(resp(&mut e, c, "PFDEBUG FOO h"), "-ERR Unknown PFDEBUG subcommand 'FOO'\r\n");
    assert_eq!(resp(&mut e, c, "PFDEBUG TODENSE h"), ":1\r\n");
    assert_eq!(resp(&mut e, c, "PFDEBUG TODENSE h"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "PFDEBUG DECODE h"), "-ERR HLL encoding is not sparse\r\n");
    // A sparse value whose opcodes cover too many registers.
    let mut bad = b"HYLL\x01\0\0\0\0\0\0\0\0\0\0\x80".to_vec();
    bad.extend_from_slice(&[0x7f, 0xff, 0x40, 0x00]);
    assert_eq!(resp_argv(&mut e, c, &[b"SET", b"bad", &bad]), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "PFCOUNT bad"), CORRUPT);
    assert_eq!(resp(&mut e, c, "PFCOUNT bad h"), CORRUPT);
    assert_eq!(resp(&mut e, c, "PFMERGE h bad"), CORRUPT);
    // PFADD edits the opcodes it needs without validating the rest.
    assert_eq!(resp(&mut e, c, "PFADD bad a"), ":1\r\n");
    // A sparse value with no opcodes at all.
    assert_eq!(resp_argv(&mut e, c, &[b"SET", b"empty", b"HYLL\x01\0\0\0\0\0\0\0\0\0\0\x80"]), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "PFADD empty a"), CORRUPT);
}

#[test]
fn pfdebug_decode_and_getreg() {
    let (mut e, _clock) = engine();
    let c = client(&mut e);
    resp(&mut e, c, "PFADD h a b");
    assert_eq!(resp(&mut e, c, "PFDEBUG DECODE h"), "$32\r\nZ:12711 v:2,1 Z:3068 v:1,1 Z:603\r\n");
    let regs = run(&mut e, c, "PFDEBUG GETREG h");
    let redlet::Reply::Array(regs) = regs else { panic!() };
    assert_eq!(regs.len(), 16384);
    assert_eq!(regs.iter().filter(|r| **r != redlet::Reply::Int(0)).count(), 2);
    assert_eq!(resp(&mut e, c, "PFDEBUG ENCODING h"), "+dense\r\n");
}

#[test]
fn sparse_max_bytes_is_read_from_config() {
    let (mut e, _clock) = engine();
    let c = client(&mut e);
    assert_eq!(resp(&mut e, c, "CONFIG SET hll-sparse-max-bytes 0"), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "PFADD x a"), ":1\r\n");
    assert_eq!(resp(&mut e, c, "PFDEBUG ENCODING x"), "+dense\r\n");
    assert_eq!(resp(&mut e, c, "PFADD y"), ":1\r\n");
    assert_eq!(resp(&mut e, c, "PFDEBUG ENCODING y"), "+sparse\r\n");
}

#[test]
fn pfmerge_creates_dest_and_picks_encoding() {
    let (mut e, _clock) = engine();
    let c = client(&mut e);
    resp(&mut e, c, "PFADD a x y z");
    resp(&mut e, c, "PFADD b z w");
    assert_eq!(resp(&mut e, c, "PFMERGE m a b nokey"), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "PFCOUNT m"), ":4\r\n");
    assert_eq!(resp(&mut e, c, "PFCOUNT a b"), ":4\r\n");
    assert_eq!(resp(&mut e, c, "PFDEBUG ENCODING m"), "+sparse\r\n");
    assert_eq!(resp(&mut e, c, "PFMERGE empty"), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "PFCOUNT empty"), ":0\r\n");
    // A dense input makes the destination dense.
    resp(&mut e, c, "PFDEBUG TODENSE b");
    assert_eq!(resp(&mut e, c, "PFMERGE m2 a b"), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "PFDEBUG ENCODING m2"), "+dense\r\n");
    assert_eq!(resp(&mut e, c, "PFCOUNT m2"), ":4\r\n");
    // The destination merges into itself too.
    assert_eq!(resp(&mut e, c, "PFMERGE a b"), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "PFCOUNT a"), ":4\r\n");
}

#[test]
fn edits_keep_ttl() {
    let (mut e, clock) = engine();
    let c = client(&mut e);
    resp(&mut e, c, "PFADD h a");
    let at = e.now_ms() + 1000;
    e.with_ctx(0, |cx| {
        let now = cx.now;
        cx.db().set_expire(b"h", at, now);
        Ok(())
    })
    .unwrap();
    assert_eq!(resp(&mut e, c, "PFADD h b"), ":1\r\n");
    assert_eq!(resp(&mut e, c, "PFCOUNT h"), ":2\r\n");
    assert_eq!(resp(&mut e, c, "PFMERGE h h"), "+OK\r\n");
    clock.advance_ms(1000);
    assert_eq!(resp(&mut e, c, "PFCOUNT h"), ":2\r\n");
    clock.advance_ms(1);
    assert_eq!(resp(&mut e, c, "PFCOUNT h"), ":0\r\n");
}

#[test]
fn typed_api_agrees_with_execute() {
    let (mut a, _c1) = engine();
    let (mut b, _c2) = engine();
    let ca = client(&mut a);
    let eles: Vec<String> = (0..1500).map(|i| format!("t{i}")).collect();
    let refs: Vec<&[u8]> = eles.iter().map(|s| s.as_bytes()).collect();
    assert!(b.pfadd(0, b"k", &refs[..700]).unwrap());
    assert!(b.pfadd(0, b"k2", &refs[600..]).unwrap());
    assert!(!b.pfadd(0, b"k", &refs[..10]).unwrap());
    resp(&mut a, ca, &format!("PFADD k {}", eles[..700].join(" ")));
    resp(&mut a, ca, &format!("PFADD k2 {}", eles[600..].join(" ")));
    assert_eq!(resp(&mut a, ca, "PFADD k t0"), ":0\r\n");
    assert_eq!(b.pfcount(0, &[b"k"]).unwrap(), a.pfcount(0, &[b"k"]).unwrap());
    assert_eq!(resp(&mut a, ca, "PFCOUNT k k2"), format!(":{}\r\n", b.pfcount(0, &[b"k", b"k2"]).unwrap()));
    b.pfmerge(0, b"m", &[b"k", b"k2"]).unwrap();
    assert_eq!(resp(&mut a, ca, "PFMERGE m k k2"), "+OK\r\n");
    for key in ["k", "k2", "m"] {
        assert_eq!(a.get(0, key.as_bytes()).unwrap(), b.get(0, key.as_bytes()).unwrap(), "{key}");
    }
    b.set(0, b"s", b"plain", Default::default()).unwrap();
    assert_eq!(b.pfadd(0, b"s", &[b"x"]).unwrap_err().to_string(), "WRONGTYPE Key is not a valid HyperLogLog string value.");
}

#[test]
fn pfselftest_passes() {
    let (mut e, _clock) = engine();
    let c = client(&mut e);
    assert_eq!(resp(&mut e, c, "PFSELFTEST"), "+OK\r\n");
}
