//! Replays a command script recorded on Redis 7.0.15 by `record.py` and
//! compares every reply byte for byte (long replies by length and FNV-1a).
//! Shared by tests/bitmaps.rs and tests/hyperloglog.rs.
#![allow(dead_code)]

use redlet::{Engine, Protocol};

/// A tiny deterministic PRNG (xorshift64*) for generating scripts.
pub struct Gen(pub u64);

impl Gen {
    /// Next raw value.
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// Uniform in `0..n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as u64) as i64
    }

    /// One of `items`.
    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }

    /// True with probability `p` percent.
    pub fn chance(&mut self, p: u64) -> bool {
        self.below(100) < p
    }
}

/// 64-bit FNV-1a.
pub fn fnv1a(b: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &c in b {
        h ^= c as u64;
        h = h.wrapping_mul(0x100_0000_01b3);
    }
    h
}

/// The recorded form of a reply.
pub fn encode(r: &[u8]) -> String {
    if r.len() <= 256 {
        r.iter().map(|b| format!("{b:02x}")).collect()
    } else {
        format!("len:{}:fnv:{:016x}", r.len(), fnv1a(r))
    }
}

/// Decodes a hex string.
pub fn unhex(s: &str) -> Vec<u8> {
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
}

/// Decodes a script token: `@part+part...` is binary, each part hex or
/// `hex*n` (repeated n times); anything else is the token's bytes.
pub fn token(t: &str) -> Vec<u8> {
    let Some(parts) = t.strip_prefix('@') else { return t.as_bytes().to_vec() };
    let mut out = Vec::new();
    for part in parts.split('+') {
        let (h, n) = part.split_once('*').map_or((part, 1), |(h, n)| (h, n.parse().unwrap()));
        let b = unhex(h);
        for _ in 0..n {
            out.extend_from_slice(&b);
        }
    }
    out
}

/// Checks that `script` (one command per line) is what `expected` recorded,
/// or, when `REDLET_DUMP` names a file, writes the script there for
/// `record.py` and returns false.
pub fn script_matches(script: &[String], expected: &str) -> bool {
    if let Ok(path) = std::env::var("REDLET_DUMP") {
        std::fs::write(path, script.join("\n") + "\n").unwrap();
        return false;
    }
    let recorded: Vec<&str> = expected.lines().map(|l| l.split('\t').next().unwrap()).collect();
    assert_eq!(recorded.len(), script.len(), "script changed: re-record the expected data");
    for (a, b) in recorded.iter().zip(script) {
        assert_eq!(a, b, "script changed: re-record the expected data");
    }
    true
}

/// Runs every recorded command on `e` and compares replies; returns the
/// number of commands checked.
pub fn replay(e: &mut Engine, expected: &str) -> usize {
    let c = e.open_client(redlet::ClientInfo::default());
    let mut n = 0;
    for (i, line) in expected.lines().enumerate() {
        let (cmd, want) = line.split_once('\t').unwrap();
        let owned: Vec<Vec<u8>> = cmd.split(' ').map(token).collect();
        let argv: Vec<&[u8]> = owned.iter().map(|s| s.as_slice()).collect();
        let got = e.execute(c, &argv).expect("blocked").to_resp(Protocol::Resp2);
        let enc = encode(&got);
        if enc != want {
            let shown = if want.starts_with("len:") { want.to_string() } else { String::from_utf8_lossy(&unhex(want)).into_owned() };
            panic!("line {}: {}\n  redis:  {:?}\n  redlet: {:?}", i + 1, cmd, shown, String::from_utf8_lossy(&got));
        }
        n += 1;
    }
    n
}
