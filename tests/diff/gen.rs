//! Seeded random command generators, one per command family, over small
//! shared pools of keys, fields and values so commands collide: wrong types,
//! edge numbers, binary data, bad options, wrong arity and SELECT across dbs.
//!
//! Only commands present in redlet's command table are generated (the rest
//! are listed as skipped by the runner), so a family that has not landed yet
//! does not drown the report in "unknown command" mismatches.
//!
//! Time-dependent arguments avoid races between the two sides: relative TTLs
//! are long (at least 1000 s) and drawn from a wide range so that two of them
//! are rarely equal (GT/LT comparisons), absolute times are far in the past
//! or far in the future.
#![allow(dead_code)]

use std::collections::BTreeSet;

use super::rng::Rng;

#[path = "gen_scripts.rs"]
mod scripts;

/// A command line.
pub type Argv = Vec<Vec<u8>>;

/// The command families of the differential test.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Family {
    /// String and bitmap commands.
    Strings,
    /// Generic key commands, expiry, SORT, SCAN.
    Keys,
    /// Hash commands.
    Hashes,
    /// List commands (non-blocking use of the blocking ones).
    Lists,
    /// Set commands.
    Sets,
    /// Server and connection commands.
    Server,
    /// Sorted-set commands.
    Zsets,
    /// Bitmap commands (on strings).
    Bitmaps,
    /// HyperLogLog commands.
    Hll,
    /// Stream commands (explicit IDs only: `*` is the clock).
    Streams,
    /// Geo commands (on sorted sets).
    Geo,
    /// Lua scripting: EVAL, EVALSHA, EVAL_RO, SCRIPT (see `gen_scripts.rs`).
    Scripts,
}

impl Family {
    /// Every family, in run order.
    pub const ALL: [Family; 12] = [
        Family::Strings,
        Family::Keys,
        Family::Hashes,
        Family::Lists,
        Family::Sets,
        Family::Server,
        Family::Zsets,
        Family::Bitmaps,
        Family::Hll,
        Family::Streams,
        Family::Geo,
        Family::Scripts,
    ];

    /// Lowercase name (as `REDLET_DIFF_FAMILY` takes it).
    pub fn name(self) -> &'static str {
        match self {
            Family::Strings => "strings",
            Family::Keys => "keys",
            Family::Hashes => "hashes",
            Family::Lists => "lists",
            Family::Sets => "sets",
            Family::Server => "server",
            Family::Zsets => "zsets",
            Family::Bitmaps => "bitmaps",
            Family::Hll => "hll",
            Family::Streams => "streams",
            Family::Geo => "geo",
            Family::Scripts => "scripts",
        }
    }

    /// The commands this family generates, with relative weights.
    pub fn commands(self) -> &'static [(&'static str, u32)] {
        match self {
            Family::Strings => &[
                ("get", 6),
                ("set", 10),
                ("setnx", 1),
                ("setex", 1),
                ("psetex", 1),
                ("getset", 1),
                ("getdel", 1),
                ("getex", 2),
                ("mget", 2),
                ("mset", 2),
                ("msetnx", 1),
                ("append", 3),
                ("strlen", 2),
                ("incr", 2),
                ("decr", 1),
                ("incrby", 2),
                ("decrby", 1),
                ("incrbyfloat", 3),
                ("setrange", 2),
                ("getrange", 2),
                ("substr", 1),
                ("lcs", 1),
                ("setbit", 2),
                ("getbit", 1),
                ("bitcount", 1),
                ("bitpos", 1),
                ("bitop", 1),
                ("bitfield", 2),
                ("bitfield_ro", 1),
                ("ttl", 1),
                ("pttl", 1),
                ("object|encoding", 1),
            ],
            Family::Keys => &[
                ("del", 3),
                ("unlink", 1),
                ("exists", 3),
                ("type", 3),
                ("rename", 2),
                ("renamenx", 1),
                ("move", 1),
                ("copy", 2),
                ("expire", 3),
                ("pexpire", 2),
                ("expireat", 2),
                ("pexpireat", 2),
                ("ttl", 3),
                ("pttl", 3),
                ("expiretime", 1),
                ("pexpiretime", 1),
                ("persist", 2),
                ("keys", 2),
                ("scan", 2),
                ("randomkey", 1),
                ("dbsize", 1),
                ("touch", 1),
                ("object|encoding", 2),
                ("object|refcount", 1),
                ("object|freq", 1),
                ("object|idletime", 1),
                ("sort", 6),
                ("sort_ro", 2),
                ("swapdb", 1),
                ("flushdb", 1),
            ],
            Family::Hashes => &[
                ("hset", 8),
                ("hsetnx", 2),
                ("hget", 4),
                ("hmset", 2),
                ("hmget", 3),
                ("hdel", 4),
                ("hlen", 2),
                ("hstrlen", 2),
                ("hexists", 2),
                ("hincrby", 3),
                ("hincrbyfloat", 3),
                ("hkeys", 2),
                ("hvals", 2),
                ("hgetall", 3),
                ("hscan", 2),
                ("hrandfield", 3),
                ("object|encoding", 1),
            ],
            Family::Lists => &[
                ("lpush", 6),
                ("rpush", 6),
                ("lpushx", 1),
                ("rpushx", 1),
                ("lpop", 3),
                ("rpop", 3),
                ("llen", 2),
                ("lrange", 4),
                ("lindex", 3),
                ("lset", 2),
                ("linsert", 2),
                ("lrem", 2),
                ("ltrim", 2),
                ("lpos", 3),
                ("rpoplpush", 1),
                ("lmove", 2),
                ("lmpop", 2),
                ("blpop", 1),
                ("brpop", 1),
                ("brpoplpush", 1),
                ("blmove", 1),
                ("blmpop", 1),
                ("object|encoding", 1),
            ],
            Family::Sets => &[
                ("sadd", 8),
                ("srem", 3),
                ("sismember", 2),
                ("smismember", 2),
                ("scard", 2),
                ("smembers", 3),
                ("spop", 2),
                ("srandmember", 3),
                ("smove", 2),
                ("sinter", 2),
                ("sintercard", 2),
                ("sinterstore", 2),
                ("sunion", 2),
                ("sunionstore", 2),
                ("sdiff", 2),
                ("sdiffstore", 2),
                ("sscan", 2),
                ("object|encoding", 2),
            ],
            Family::Zsets => &[
                ("zadd", 10),
                ("zincrby", 2),
                ("zcard", 1),
                ("zscore", 2),
                ("zmscore", 1),
                ("zrank", 2),
                ("zrevrank", 1),
                ("zcount", 2),
                ("zlexcount", 1),
                ("zrange", 5),
                ("zrangebyscore", 2),
                ("zrevrangebyscore", 1),
                ("zrangebylex", 1),
                ("zrevrangebylex", 1),
                ("zrevrange", 1),
                ("zrangestore", 2),
                ("zrem", 3),
                ("zremrangebyrank", 1),
                ("zremrangebyscore", 1),
                ("zremrangebylex", 1),
                ("zpopmin", 2),
                ("zpopmax", 2),
                ("bzpopmin", 1),
                ("bzpopmax", 1),
                ("zmpop", 1),
                ("bzmpop", 1),
                ("zrandmember", 2),
                ("zscan", 1),
                ("zunion", 1),
                ("zinter", 1),
                ("zdiff", 1),
                ("zunionstore", 1),
                ("zinterstore", 1),
                ("zdiffstore", 1),
                ("zintercard", 1),
                ("object|encoding", 1),
                ("del", 1),
            ],
            Family::Bitmaps => &[
                ("setbit", 6),
                ("getbit", 3),
                ("bitcount", 3),
                ("bitpos", 3),
                ("bitop", 2),
                ("bitfield", 4),
                ("bitfield_ro", 1),
                ("set", 2),
                ("append", 1),
                ("setrange", 1),
                ("get", 2),
                ("del", 1),
            ],
            Family::Hll => &[
                ("pfadd", 8),
                ("pfcount", 4),
                ("pfmerge", 2),
                ("pfdebug", 1),
                ("del", 1),
                ("get", 1),
                ("append", 1),
                ("set", 1),
            ],
            Family::Streams => &[
                ("xadd", 10),
                ("xrange", 3),
                ("xrevrange", 2),
                ("xlen", 1),
                ("xdel", 2),
                ("xtrim", 2),
                ("xread", 2),
                ("xgroup|create", 4),
                ("xgroup|setid", 1),
                ("xgroup|destroy", 1),
                ("xgroup|createconsumer", 1),
                ("xgroup|delconsumer", 1),
                ("xreadgroup", 4),
                ("xack", 2),
                ("xpending", 2),
                ("xclaim", 2),
                ("xautoclaim", 2),
                ("xinfo|stream", 2),
                ("xinfo|groups", 1),
                ("xinfo|consumers", 1),
                ("xsetid", 1),
                ("del", 1),
            ],
            Family::Geo => &[
                ("geoadd", 12),
                ("geosearch", 6),
                ("geosearchstore", 2),
                ("georadius", 4),
                ("georadiusbymember", 3),
                ("georadius_ro", 1),
                ("georadiusbymember_ro", 1),
                ("geopos", 3),
                ("geodist", 3),
                ("geohash", 2),
                ("zscore", 2),
                ("zadd", 1),
                ("zrem", 1),
                ("del", 2),
            ],
            Family::Scripts => &[
                ("eval", 24),
                ("evalsha", 6),
                ("eval_ro", 3),
                ("evalsha_ro", 1),
                ("script|load", 2),
                ("script|exists", 2),
                ("script|flush", 1),
                ("function|load", 4),
                ("fcall", 5),
                ("fcall_ro", 1),
                ("function|delete", 1),
                ("function|list", 1),
                ("function|flush", 1),
                ("function|stats", 1),
                ("multi", 2),
                ("set", 2),
                ("rpush", 1),
                ("hset", 1),
                ("sadd", 1),
                ("zadd", 1),
                ("xadd", 1),
            ],
            Family::Server => &[
                ("ping", 3),
                ("echo", 3),
                ("select", 3),
                ("dbsize", 2),
                ("type", 2),
                ("exists", 2),
                ("flushdb", 1),
                ("flushall", 1),
                ("swapdb", 1),
                ("move", 1),
                ("command|info", 2),
                // COMMAND COUNT / COMMAND / COMMAND INFO with no names list
                // every command: redlet has fewer by design.
                ("command|count", 0),
                ("command|getkeys", 1),
                ("config|get", 2),
                ("config|set", 2),
                ("object|encoding", 2),
                ("client|getname", 1),
                ("client|setname", 1),
                ("multi", 2),
                ("watch", 1),
                ("unwatch", 1),
                ("reset", 1),
                ("role", 1),
                ("hello", 1),
                ("publish", 2),
                ("lastsave", 0),
            ],
        }
    }
}

/// The set of commands redlet implements (`name` and `name|sub`).
pub struct Avail {
    names: BTreeSet<String>,
}

impl Avail {
    /// Reads redlet's command table.
    pub fn from_table() -> Avail {
        let mut names = BTreeSet::new();
        for fam in redlet::cmd::families() {
            for c in fam.iter() {
                names.insert(c.name.to_string());
                for s in c.subcommands {
                    names.insert(format!("{}|{}", c.name, s.name));
                }
            }
        }
        Avail { names }
    }

    /// An `Avail` claiming every named command (generator tests).
    pub fn with(names: &[&str]) -> Avail {
        Avail { names: names.iter().map(|s| s.to_string()).collect() }
    }

    /// True if redlet has this command (`get`, `object|encoding`).
    pub fn has(&self, name: &str) -> bool {
        self.names.contains(name)
    }

    /// Every command name redlet has.
    pub fn all(&self) -> impl Iterator<Item = &String> {
        self.names.iter()
    }
}

/// Keys every family shares (so types collide), incl. an empty and binary keys.
pub const KEYS: &[&[u8]] = &[b"k", b"key", b"", b"a\x00b\r\n", b"{t}1", b"{t}2", b"dst"];

/// Extra keys the keys family uses as SORT weights and GET sources.
pub const SORT_KEYS: &[&[u8]] = &[b"w_a", b"w_b", b"w_1", b"w_2", b"w_10", b"h_a", b"h_1", b"h_2"];

/// Elements that lists and sets hold, so pivots, LREM and LPOS hit.
const ELEMS: &[&[u8]] = &[b"a", b"b", b"c", b"1", b"2", b"3", b"10", b"-1", b"1.5", b"", b"a\x00"];

/// Set members: mostly integers (intset encoding) and some strings.
const MEMBERS: &[&[u8]] = &[
    b"1", b"2", b"3", b"-5", b"100", b"9223372036854775807", b"-9223372036854775808", b"a", b"b", b"", b"\x00", b"01",
];

/// Hash fields, incl. one longer than hash-max-listpack-value.
const FIELDS: &[&[u8]] = &[b"f", b"g", b"h", b"1", b"2", b"", b"f\x00\r\n"];

/// Values: integers and their edges, floats, specials, padding, binary.
const VALUES: &[&[u8]] = &[
    b"0",
    b"1",
    b"-1",
    b"7",
    b"42",
    b"100",
    b"-100",
    b"10000",
    b"9223372036854775807",
    b"-9223372036854775808",
    b"9223372036854775806",
    b"-9223372036854775807",
    b"9223372036854775808",
    b"-9223372036854775809",
    b"18446744073709551615",
    b"3.14",
    b"-0.5",
    b"0.1",
    b"1e10",
    b"1.5e308",
    b"1e309",
    b"-1e-5",
    b"5.0e3",
    b"2.5",
    b"1e-320",
    b"inf",
    b"-inf",
    b"+inf",
    b"nan",
    b"Infinity",
    b" 1",
    b"1 ",
    b"+1",
    b"01",
    b"-0",
    b"0x1A",
    b"1a",
    b"",
    b"a",
    b"b",
    b"abc",
    b"hello world",
    b"\xd0\xba\xd0\xbb\xd1\x8e\xd1\x87",
    b"\x00",
    b"a\x00b",
    b"\r\n",
    b"\xff\xfe",
];

/// Index and count arguments: small, negative, edges, not numbers.
const INDEXES: &[&[u8]] = &[
    b"0",
    b"1",
    b"2",
    b"3",
    b"-1",
    b"-2",
    b"-3",
    b"5",
    b"10",
    b"100",
    b"-100",
    b"9223372036854775807",
    b"-9223372036854775808",
    b"9223372036854775808",
    b"abc",
    b"1.5",
    b"",
    b" 1",
];

/// Counts that must never be huge negatives (Redis would try to build a reply
/// of that many items: SRANDMEMBER/HRANDFIELD with -2^62 kill redis-server).
const SAFE_COUNTS: &[&[u8]] = &[
    b"0", b"1", b"2", b"3", b"5", b"10", b"100", b"-1", b"-2", b"-5", b"-20", b"9223372036854775807",
    b"-9223372036854775808", b"abc", b"1.5", b"",
];

/// Float increments.
const FLOATS: &[&[u8]] = &[
    b"1", b"1.5", b"-0.25", b"0", b"3", b"1e10", b"-1e10", b"1e308", b"5e-324", b"0.1", b"inf", b"-inf", b"nan",
    b"abc", b"", b"1e", b"2.0e2", b" 1", b"17.5",
];

/// Glob patterns for KEYS, SCAN MATCH and friends.
const PATTERNS: &[&[u8]] = &[
    b"*", b"k*", b"*e*", b"?", b"[a-k]*", b"\\*", b"{t}*", b"w_*", b"", b"[^a]*", b"k[", b"*\x00*", b"h?y", b"[", b"*[",
];

/// A generator for one sequence.
pub struct Gen<'a> {
    /// Randomness (seeded per sequence).
    pub r: Rng,
    avail: &'a Avail,
    fam: Family,
    /// Current Unix time in seconds (for absolute expiry times).
    now_s: i64,
    weights: Vec<(&'static str, u32)>,
    /// Streams: the next explicit ID's milliseconds (IDs mostly increase).
    id_ms: i64,
    /// Zsets: every score is 0, so lex ranges are defined (with mixed scores
    /// Redis's answer depends on its skiplist's random levels).
    lex: bool,
    /// Scripts: the bodies sent so far (EVALSHA draws its sha1 from them).
    scripts: Vec<Vec<u8>>,
}

fn v<T: AsRef<[u8]> + ?Sized>(s: &T) -> Vec<u8> {
    s.as_ref().to_vec()
}

fn n(i: i64) -> Vec<u8> {
    i.to_string().into_bytes()
}

impl<'a> Gen<'a> {
    /// A generator for `fam`, seeded with `seed`.
    pub fn new(fam: Family, seed: u64, avail: &'a Avail) -> Gen<'a> {
        let now_s = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64);
        let mut r = Rng::new(seed);
        let lex = fam == Family::Zsets && r.chance(0.3);
        const LEX_ONLY: &[&str] = &["zlexcount", "zrangebylex", "zrevrangebylex", "zremrangebylex"];
        const SCORE_CHANGING: &[&str] = &["zincrby", "zunion", "zinter", "zunionstore", "zinterstore"];
        let weights = fam
            .commands()
            .iter()
            .copied()
            .filter(|(c, w)| *w > 0 && avail.has(c))
            .filter(|(c, _)| if lex { !SCORE_CHANGING.contains(c) } else { !LEX_ONLY.contains(c) })
            .collect();
        Gen { r, avail, fam, now_s, weights, lex, id_ms: 1, scripts: Vec::new() }
    }

    /// The family's commands that redlet does not have (not generated).
    pub fn skipped(fam: Family, avail: &Avail) -> Vec<&'static str> {
        fam.commands().iter().map(|(c, _)| *c).filter(|c| !avail.has(c)).collect()
    }

    /// True when no command of the family can be generated.
    pub fn is_empty(&self) -> bool {
        self.weights.is_empty()
    }

    /// A whole sequence of about `len` commands (MULTI blocks count as
    /// several).
    pub fn sequence(&mut self, len: usize) -> Vec<Argv> {
        let mut out = Vec::with_capacity(len + 8);
        if self.avail.has("hello") && self.r.chance(0.15) {
            out.push(vec![v(b"HELLO"), v(b"3")]);
        }
        if self.avail.has("psubscribe") && self.avail.has("config|set") && self.r.chance(0.3) {
            // The runner's subscribers see every keyspace notification.
            let flags: &[u8] = *self.r.pick(&[b"KEA" as &[u8], b"KEA", b"AK", b"Eg$lshzxet", b"Kgx", b"KEAm", b"Ed", b"KEAn"]);
            out.push(vec![v(b"CONFIG"), v(b"SET"), v(b"notify-keyspace-events"), v(flags)]);
        }
        while out.len() < len {
            self.step(&mut out);
        }
        out
    }

    fn step(&mut self, out: &mut Vec<Argv>) {
        let r = &mut self.r;
        if r.chance(0.01) && self.avail.has("select") {
            let db = if r.chance(0.9) { n(r.range(0, 3)) } else { v(r.pick(&[b"16" as &[u8], b"-1", b"abc", b"15"])) };
            out.push(vec![v(b"SELECT"), db]);
            return;
        }
        let cross = match self.fam {
            Family::Keys => 0.3,
            Family::Server => 0.25,
            _ => 0.03,
        };
        if r.chance(cross) {
            if let Some(c) = self.cross_write() {
                out.push(c);
                return;
            }
        }
        if self.weights.is_empty() {
            return;
        }
        let total: u32 = self.weights.iter().map(|(_, w)| w).sum();
        let mut x = self.r.below(total as usize) as u32;
        let mut name = self.weights[0].0;
        for &(c, w) in &self.weights {
            if x < w {
                name = c;
                break;
            }
            x -= w;
        }
        if name == "multi" {
            self.multi_block(out);
            return;
        }
        let mut argv = self.command(name);
        if self.r.chance(0.03) && !name.starts_with("command|") {
            self.mutate_arity(&mut argv);
        }
        out.push(argv);
    }

    /// A write of another type on a shared key (wrong types for everyone).
    fn cross_write(&mut self) -> Option<Argv> {
        let k = self.key();
        let r = &mut self.r;
        let mut opts: Vec<(&str, Argv)> = Vec::new();
        let val = v(r.pick(VALUES));
        opts.push(("set", vec![v(b"SET"), k.clone(), val]));
        let e = v(r.pick(ELEMS));
        let e2 = v(r.pick(ELEMS));
        opts.push(("rpush", vec![v(b"RPUSH"), k.clone(), e, e2]));
        let f = v(r.pick(FIELDS));
        let fv = v(r.pick(VALUES));
        opts.push(("hset", vec![v(b"HSET"), k.clone(), f, fv]));
        let m = v(r.pick(MEMBERS));
        let m2 = v(r.pick(ELEMS));
        // Sets feed the zset set-operations with score 1, which would mix
        // scores in a sequence whose lex ranges need them all equal.
        if !self.lex {
            opts.push(("sadd", vec![v(b"SADD"), k.clone(), m, m2]));
        }
        if self.fam == Family::Keys {
            // Weights and GET sources for SORT.
            let wk = v(r.pick(SORT_KEYS));
            if wk.starts_with(b"h_") {
                let f = v(r.pick(&[b"f" as &[u8], b"g"]));
                let x = v(r.pick(&[b"1" as &[u8], b"2", b"-3", b"1.5", b"x", b"10"]));
                opts.push(("hset", vec![v(b"HSET"), wk, f, x]));
            } else {
                let x = v(r.pick(&[b"1" as &[u8], b"2", b"-3", b"1.5", b"x", b"10", b"", b"1e3"]));
                opts.push(("set", vec![v(b"SET"), wk, x]));
            }
        }
        let avail: Vec<Argv> = opts.into_iter().filter(|(c, _)| self.avail.has(c)).map(|(_, a)| a).collect();
        if avail.is_empty() {
            return None;
        }
        let i = self.r.below(avail.len());
        avail.into_iter().nth(i)
    }

    /// Drops trailing arguments or appends junk ones.
    fn mutate_arity(&mut self, argv: &mut Argv) {
        let r = &mut self.r;
        if r.chance(0.5) && argv.len() > 1 {
            let keep = r.range(1, argv.len() as i64 - 1) as usize;
            argv.truncate(keep);
        } else {
            // No small positive numbers: appended after a truncated EXPIRE
            // or a trailing PX they would make TTLs short enough to race.
            for _ in 0..r.range(1, 3) {
                argv.push(v(r.pick(&[b"x" as &[u8], b"99999999", b"", b"-1", b"GET", b"COUNT"])));
            }
        }
    }

    fn multi_block(&mut self, out: &mut Vec<Argv>) {
        out.push(vec![v(b"MULTI")]);
        let n = self.r.range(0, 4);
        for _ in 0..n {
            // Only commands with exact, deterministic replies go inside.
            let c = match self.r.below(6) {
                0 if self.avail.has("set") => vec![v(b"SET"), self.key(), self.val()],
                1 if self.avail.has("get") => vec![v(b"GET"), self.key()],
                2 if self.avail.has("rpush") => vec![v(b"RPUSH"), self.key(), self.elem()],
                3 if self.avail.has("incr") => vec![v(b"INCR"), self.key()],
                4 => vec![v(b"NOSUCHCMD"), self.key()],
                // Scripts and functions run inside transactions too.
                5 if self.fam == Family::Scripts => {
                    let which = if self.r.chance(0.7) { "eval" } else { "fcall" };
                    self.scripts_command(which)
                }
                _ => self.command("ping"),
            };
            out.push(c);
        }
        // Always closed: commands queued by a dangling MULTI would come back
        // inside EXEC's array, where unordered replies cannot be compared.
        match self.r.below(10) {
            0 => out.push(vec![v(b"DISCARD")]),
            1 => {
                out.push(vec![v(b"MULTI")]);
                out.push(vec![v(b"EXEC")]);
            }
            _ => out.push(vec![v(b"EXEC")]),
        }
    }

    fn key(&mut self) -> Vec<u8> {
        if self.fam == Family::Streams && self.r.chance(0.85) {
            // Few keys, so groups and consumers meet their streams.
            return v(self.r.pick(&[b"s1" as &[u8], b"s1", b"s1", b"s2"]));
        }
        if self.fam == Family::Keys && self.r.chance(0.15) {
            return v(self.r.pick(SORT_KEYS));
        }
        if self.fam == Family::Geo && self.r.chance(0.85) {
            // Few keys, so searches meet the members added.
            return v(self.r.pick(&[b"g1" as &[u8], b"g1", b"g1", b"g2", b"gd"]));
        }
        v(self.r.pick(KEYS))
    }

    fn keys(&mut self, min: usize, max: usize) -> Vec<Vec<u8>> {
        let c = self.r.range(min as i64, max as i64);
        (0..c).map(|_| self.key()).collect()
    }

    fn val(&mut self) -> Vec<u8> {
        let r = &mut self.r;
        match r.below(40) {
            0 => vec![b'x'; 65],
            1 => (0..r.range(1, 300)).map(|i| b'a' + (i % 26) as u8).collect(),
            2 => {
                let len = r.range(1, 40) as usize;
                r.bytes(len)
            }
            3 => vec![b'z'; r.range(100, 1000) as usize],
            _ => v(r.pick(VALUES)),
        }
    }

    fn elem(&mut self) -> Vec<u8> {
        if self.r.chance(0.9) {
            v(self.r.pick(ELEMS))
        } else {
            self.val()
        }
    }

    fn member(&mut self) -> Vec<u8> {
        match self.r.below(20) {
            0 => self.val(),
            1 => n(self.r.range(-1000, 1000)),
            _ => v(self.r.pick(MEMBERS)),
        }
    }

    fn field(&mut self) -> Vec<u8> {
        match self.r.below(30) {
            0 => vec![b'F'; 65],
            1 => self.val(),
            _ => v(self.r.pick(FIELDS)),
        }
    }

    fn idx(&mut self) -> Vec<u8> {
        if self.r.chance(0.6) {
            n(self.r.range(-6, 6))
        } else {
            v(self.r.pick(INDEXES))
        }
    }

    fn count(&mut self) -> Vec<u8> {
        v(self.r.pick(SAFE_COUNTS))
    }

    fn float(&mut self) -> Vec<u8> {
        v(self.r.pick(FLOATS))
    }

    fn pattern(&mut self) -> Vec<u8> {
        v(self.r.pick(PATTERNS))
    }

    fn db(&mut self) -> Vec<u8> {
        if self.r.chance(0.9) {
            n(self.r.range(0, 3))
        } else {
            v(self.r.pick(&[b"16" as &[u8], b"-1", b"abc", b"15", b"9223372036854775807"]))
        }
    }

    /// Relative seconds: long, or invalid.
    fn ttl_s(&mut self) -> Vec<u8> {
        if self.r.chance(0.85) {
            n(self.r.range(1000, 10_000_000))
        } else {
            v(self.r.pick(&[b"0" as &[u8], b"-1", b"abc", b"9223372036854775807", b"9223372036854775", b"1.5", b""]))
        }
    }

    /// Relative milliseconds: long, or invalid.
    fn ttl_ms(&mut self) -> Vec<u8> {
        if self.r.chance(0.85) {
            n(self.r.range(1_000_000, 10_000_000_000))
        } else {
            v(self.r.pick(&[b"0" as &[u8], b"-1", b"abc", b"9223372036854775807", b"9223372036854775806"]))
        }
    }

    /// Absolute seconds: far past or far future, or invalid.
    fn at_s(&mut self) -> Vec<u8> {
        match self.r.below(10) {
            0..=2 => v(self.r.pick(&[b"1" as &[u8], b"1000", b"1000000000"])),
            3 => v(self.r.pick(&[b"0" as &[u8], b"-1", b"abc", b"9223372036854775807"])),
            _ => n(self.now_s + self.r.range(100_000, 100_000_000)),
        }
    }

    /// Absolute milliseconds: far past or far future, or invalid.
    fn at_ms(&mut self) -> Vec<u8> {
        match self.r.below(10) {
            0..=2 => v(self.r.pick(&[b"1" as &[u8], b"1000", b"1000000000000"])),
            3 => v(self.r.pick(&[b"0" as &[u8], b"-1", b"abc", b"9223372036854775807"])),
            _ => n((self.now_s + self.r.range(100_000, 100_000_000)) * 1000 + self.r.range(0, 999)),
        }
    }

    /// `[EX s | PX ms | EXAT s | PXAT ms | ...]` options, shuffled with others.
    fn set_opts(&mut self, a: &mut Argv, getex: bool) {
        let k = self.r.range(0, 3);
        for _ in 0..k {
            match self.r.below(if getex { 6 } else { 9 }) {
                0 => {
                    a.push(v(b"EX"));
                    a.push(self.ttl_s());
                }
                1 => {
                    a.push(v(b"PX"));
                    a.push(self.ttl_ms());
                }
                2 => {
                    a.push(v(b"EXAT"));
                    a.push(self.at_s());
                }
                3 => {
                    a.push(v(b"PXAT"));
                    a.push(self.at_ms());
                }
                4 => a.push(v(b"PERSIST")),
                5 => a.push(v(if getex { b"KEEPTTL" as &[u8] } else { b"GET" })),
                6 => a.push(v(b"NX")),
                7 => a.push(v(b"XX")),
                _ => a.push(v(b"KEEPTTL")),
            }
        }
        if self.r.chance(0.03) {
            a.push(v(self.r.pick(&[b"exat" as &[u8], b"nx", b"bogus"])));
        }
    }

    fn bit_offset(&mut self) -> Vec<u8> {
        match self.r.below(10) {
            0 => v(self.r.pick(&[b"-1" as &[u8], b"4294967296", b"abc", b"9223372036854775807"])),
            1 => n(self.r.range(0, 100_000)),
            _ => n(self.r.range(0, 200)),
        }
    }

    fn bitfield_type(&mut self) -> Vec<u8> {
        v(self.r.pick(&[b"i8" as &[u8], b"u8", b"i16", b"u16", b"i5", b"u1", b"i63", b"u63", b"i64", b"u64", b"i65", b"x8", b"i0"]))
    }

    fn bitfield_off(&mut self) -> Vec<u8> {
        match self.r.below(6) {
            0 => v(self.r.pick(&[b"#1" as &[u8], b"#0", b"#-1", b"-1", b"abc", b"4294967296"])),
            _ => n(self.r.range(0, 100)),
        }
    }

    /// One command by (lowercase, `cmd|sub`) name.
    pub fn command(&mut self, name: &str) -> Argv {
        let mut a: Argv = name.split('|').map(|s| s.to_ascii_uppercase().into_bytes()).collect();
        match name {
            "eval" | "evalsha" | "eval_ro" | "evalsha_ro" | "script|load" | "script|exists" | "script|flush" | "function|load"
            | "fcall" | "fcall_ro" | "function|delete" | "function|list" | "function|flush" | "function|stats" => {
                return self.scripts_command(name)
            }
            // ---------------------------------------------------------- strings
            "get" | "strlen" | "incr" | "decr" | "getdel" | "ttl" | "pttl" | "expiretime" | "pexpiretime" | "persist"
            | "type" | "hlen" | "hkeys" | "hvals" | "hgetall" | "llen" | "scard" | "smembers" | "randomkey_key" => {
                a.push(self.key())
            }
            "object|encoding" | "object|refcount" | "object|freq" | "object|idletime" => a.push(self.key()),
            "set" => {
                a.push(self.key());
                a.push(self.val());
                self.set_opts(&mut a, false);
            }
            "setnx" | "getset" | "append" => {
                a.push(self.key());
                a.push(self.val());
            }
            "setex" => {
                a.push(self.key());
                a.push(self.ttl_s());
                a.push(self.val());
            }
            "psetex" => {
                a.push(self.key());
                a.push(self.ttl_ms());
                a.push(self.val());
            }
            "getex" => {
                a.push(self.key());
                self.set_opts(&mut a, true);
            }
            "mget" | "exists" | "touch" | "del" | "unlink" => {
                let ks = self.keys(1, 4);
                a.extend(ks);
            }
            "mset" | "msetnx" => {
                for _ in 0..self.r.range(1, 3) {
                    a.push(self.key());
                    a.push(self.val());
                }
            }
            "incrby" | "decrby" => {
                a.push(self.key());
                a.push(if self.r.chance(0.7) { n(self.r.range(-100, 100)) } else { v(self.r.pick(VALUES)) });
            }
            "incrbyfloat" => {
                a.push(self.key());
                a.push(self.float());
            }
            "setrange" => {
                a.push(self.key());
                let off = match self.r.below(8) {
                    // (536870911 is legal and builds a 512 MB string: not generated.)
                    0 => v(self.r.pick(&[b"-1" as &[u8], b"536870912", b"abc", b"9223372036854775807", b"536870913"])),
                    1 => n(self.r.range(0, 5000)),
                    _ => n(self.r.range(0, 20)),
                };
                a.push(off);
                a.push(if self.r.chance(0.1) { Vec::new() } else { self.val() });
            }
            "getrange" | "substr" => {
                a.push(self.key());
                a.push(self.idx());
                a.push(self.idx());
            }
            "lcs" => {
                a.push(self.key());
                a.push(self.key());
                for _ in 0..self.r.range(0, 3) {
                    match self.r.below(5) {
                        0 => a.push(v(b"LEN")),
                        1 => a.push(v(b"IDX")),
                        2 => {
                            a.push(v(b"MINMATCHLEN"));
                            a.push(self.idx());
                        }
                        3 => a.push(v(b"WITHMATCHLEN")),
                        _ => a.push(v(b"BOGUS")),
                    }
                }
            }
            "setbit" => {
                a.push(self.key());
                a.push(self.bit_offset());
                a.push(v(self.r.pick(&[b"0" as &[u8], b"1", b"1", b"2", b"-1", b"abc"])));
            }
            "getbit" => {
                a.push(self.key());
                a.push(self.bit_offset());
            }
            "bitcount" => {
                a.push(self.key());
                if self.r.chance(0.7) {
                    a.push(self.idx());
                    a.push(self.idx());
                    if self.r.chance(0.4) {
                        a.push(v(self.r.pick(&[b"BYTE" as &[u8], b"BIT", b"bit", b"WORD"])));
                    }
                }
            }
            "bitpos" => {
                a.push(self.key());
                a.push(v(self.r.pick(&[b"0" as &[u8], b"1", b"2", b"-1"])));
                if self.r.chance(0.7) {
                    a.push(self.idx());
                    if self.r.chance(0.6) {
                        a.push(self.idx());
                        if self.r.chance(0.4) {
                            a.push(v(self.r.pick(&[b"BYTE" as &[u8], b"BIT", b"bit", b"WORD"])));
                        }
                    }
                }
            }
            "bitop" => {
                let op: &[u8] = *self.r.pick(&[b"AND" as &[u8], b"OR", b"XOR", b"NOT", b"not", b"NAND"]);
                a.push(v(op));
                a.push(self.key());
                let ks = self.keys(1, 3);
                a.extend(ks);
            }
            "bitfield" | "bitfield_ro" => {
                a.push(self.key());
                for _ in 0..self.r.range(0, 4) {
                    let which = if name == "bitfield_ro" && self.r.chance(0.9) { 0 } else { self.r.below(5) };
                    match which {
                        0 => {
                            a.push(v(b"GET"));
                            a.push(self.bitfield_type());
                            a.push(self.bitfield_off());
                        }
                        1 => {
                            a.push(v(b"SET"));
                            a.push(self.bitfield_type());
                            a.push(self.bitfield_off());
                            a.push(v(self.r.pick(INDEXES)));
                        }
                        2 => {
                            a.push(v(b"INCRBY"));
                            a.push(self.bitfield_type());
                            a.push(self.bitfield_off());
                            a.push(v(self.r.pick(INDEXES)));
                        }
                        3 => {
                            a.push(v(b"OVERFLOW"));
                            a.push(v(self.r.pick(&[b"WRAP" as &[u8], b"SAT", b"FAIL", b"fail", b"BAD"])));
                        }
                        _ => a.push(v(b"BOGUS")),
                    }
                }
            }
            // ------------------------------------------------------------- keys
            "rename" | "renamenx" | "rpoplpush" => {
                a.push(self.key());
                a.push(self.key());
            }
            "move" => {
                a.push(self.key());
                a.push(self.db());
            }
            "copy" => {
                a.push(self.key());
                a.push(self.key());
                for _ in 0..self.r.range(0, 2) {
                    if self.r.chance(0.5) {
                        a.push(v(b"DB"));
                        a.push(self.db());
                    } else {
                        a.push(v(self.r.pick(&[b"REPLACE" as &[u8], b"replace", b"BOGUS"])));
                    }
                }
            }
            "expire" | "pexpire" | "expireat" | "pexpireat" => {
                a.push(self.key());
                let t = match name {
                    "expire" => self.ttl_s(),
                    "pexpire" => self.ttl_ms(),
                    "expireat" => self.at_s(),
                    _ => self.at_ms(),
                };
                a.push(t);
                for _ in 0..self.r.range(0, 2) {
                    a.push(v(self.r.pick(&[b"NX" as &[u8], b"XX", b"GT", b"LT", b"gt", b"BAD"])));
                }
            }
            "keys" => a.push(self.pattern()),
            "scan" => {
                a.push(self.scan_cursor());
                self.scan_opts(&mut a, true);
            }
            "randomkey" | "dbsize" | "flushdb" | "flushall" | "role" | "lastsave" | "client|getname" | "command|count"
            | "unwatch" | "reset" => {
                if (name == "flushdb" || name == "flushall") && self.r.chance(0.3) {
                    a.push(v(self.r.pick(&[b"ASYNC" as &[u8], b"SYNC", b"sync", b"BAD"])));
                }
            }
            "sort" | "sort_ro" => self.sort_args(&mut a, name == "sort"),
            "swapdb" => {
                a.push(self.db());
                a.push(self.db());
            }
            // ----------------------------------------------------------- hashes
            "hset" | "hmset" => {
                a.push(self.key());
                if self.r.chance(0.02) {
                    // Past hash-max-listpack-entries in one go.
                    for i in 0..130 {
                        a.push(format!("bulk{i}").into_bytes());
                        a.push(n(i));
                    }
                } else {
                    for _ in 0..self.r.range(1, 3) {
                        a.push(self.field());
                        a.push(self.val());
                    }
                }
            }
            "hsetnx" => {
                a.push(self.key());
                a.push(self.field());
                a.push(self.val());
            }
            "hget" | "hstrlen" | "hexists" => {
                a.push(self.key());
                a.push(self.field());
            }
            "hmget" | "hdel" => {
                a.push(self.key());
                for _ in 0..self.r.range(1, 4) {
                    a.push(self.field());
                }
            }
            "hincrby" => {
                a.push(self.key());
                a.push(self.field());
                a.push(if self.r.chance(0.7) { n(self.r.range(-100, 100)) } else { v(self.r.pick(VALUES)) });
            }
            "hincrbyfloat" => {
                a.push(self.key());
                a.push(self.field());
                a.push(self.float());
            }
            "hscan" | "sscan" => {
                a.push(self.key());
                a.push(self.scan_cursor());
                self.scan_opts(&mut a, false);
            }
            "hrandfield" => {
                a.push(self.key());
                if self.r.chance(0.7) {
                    a.push(self.count());
                    if self.r.chance(0.5) {
                        a.push(v(self.r.pick(&[b"WITHVALUES" as &[u8], b"withvalues", b"BAD"])));
                    }
                }
            }
            // ------------------------------------------------------------ lists
            "lpush" | "rpush" | "lpushx" | "rpushx" => {
                a.push(self.key());
                for _ in 0..self.r.range(1, 4) {
                    a.push(self.elem());
                }
            }
            "lpop" | "rpop" => {
                a.push(self.key());
                if self.r.chance(0.4) {
                    a.push(self.count());
                }
            }
            "lrange" | "ltrim" => {
                a.push(self.key());
                a.push(self.idx());
                a.push(self.idx());
            }
            "lindex" => {
                a.push(self.key());
                a.push(self.idx());
            }
            "lset" => {
                a.push(self.key());
                a.push(self.idx());
                a.push(self.elem());
            }
            "linsert" => {
                a.push(self.key());
                a.push(v(self.r.pick(&[b"BEFORE" as &[u8], b"AFTER", b"after", b"MIDDLE"])));
                a.push(self.elem());
                a.push(self.elem());
            }
            "lrem" => {
                a.push(self.key());
                a.push(self.idx());
                a.push(self.elem());
            }
            "lpos" => {
                a.push(self.key());
                a.push(self.elem());
                for _ in 0..self.r.range(0, 3) {
                    match self.r.below(4) {
                        0 => {
                            a.push(v(b"RANK"));
                            a.push(self.idx());
                        }
                        1 => {
                            a.push(v(b"COUNT"));
                            a.push(self.count());
                        }
                        2 => {
                            a.push(v(b"MAXLEN"));
                            a.push(self.count());
                        }
                        _ => a.push(v(b"BOGUS")),
                    }
                }
            }
            "lmove" | "blmove" => {
                a.push(self.key());
                a.push(self.key());
                a.push(self.side());
                a.push(self.side());
                if name == "blmove" {
                    a.push(self.timeout());
                }
            }
            "brpoplpush" => {
                a.push(self.key());
                a.push(self.key());
                a.push(self.timeout());
            }
            "blpop" | "brpop" => {
                let ks = self.keys(1, 3);
                a.extend(ks);
                a.push(self.timeout());
            }
            "lmpop" | "blmpop" | "sintercard" => {
                if name == "blmpop" {
                    a.push(self.timeout());
                }
                let k = self.r.range(1, 3);
                a.push(if self.r.chance(0.9) { n(k) } else { v(self.r.pick(&[b"0" as &[u8], b"-1", b"abc", b"5"])) });
                for _ in 0..k {
                    a.push(self.key());
                }
                if name == "sintercard" {
                    if self.r.chance(0.5) {
                        a.push(v(b"LIMIT"));
                        a.push(self.count());
                    }
                } else {
                    a.push(self.side());
                    if self.r.chance(0.5) {
                        a.push(v(b"COUNT"));
                        a.push(self.count());
                    }
                }
            }
            // ------------------------------------------------------------- sets
            "sadd" | "srem" | "smismember" => {
                a.push(self.key());
                if name == "sadd" && self.r.chance(0.02) {
                    // Past set-max-intset-entries in one go.
                    for i in 0..600 {
                        a.push(n(i));
                    }
                } else {
                    for _ in 0..self.r.range(1, 4) {
                        a.push(self.member());
                    }
                }
            }
            "sismember" => {
                a.push(self.key());
                a.push(self.member());
            }
            "spop" | "srandmember" => {
                a.push(self.key());
                if self.r.chance(0.6) {
                    a.push(self.count());
                }
            }
            "smove" => {
                a.push(self.key());
                a.push(self.key());
                a.push(self.member());
            }
            "sinter" | "sunion" | "sdiff" => {
                let ks = self.keys(1, 3);
                a.extend(ks);
            }
            "sinterstore" | "sunionstore" | "sdiffstore" => {
                let ks = self.keys(2, 4);
                a.extend(ks);
            }
            // ----------------------------------------------------------- server
            "ping" => {
                if self.r.chance(0.4) {
                    a.push(self.val());
                }
            }
            "echo" => a.push(self.val()),
            "publish" => {
                a.push(v(self.r.pick(&[b"ch" as &[u8], b"news.1", b"", b"__keyspace@0__:k"])));
                a.push(self.val());
            }
            "select" => a.push(self.db()),
            "command|info" | "command|getkeys" => {
                let names: Vec<String> = self.avail.all().filter(|c| !c.contains('|')).cloned().collect();
                if name == "command|getkeys" {
                    let c = *self.r.pick(&["get", "set", "mset", "sort", "lmpop", "blmove", "nosuch", "ping", "rename", "sintercard"]);
                    if c != "nosuch" && !self.avail.has(c) {
                        return vec![v(b"PING")];
                    }
                    let mut inner = self.command(c);
                    if inner.first().is_some_and(|x| x == b"GETKEYS") {
                        inner.clear();
                    }
                    a.extend(inner);
                } else {
                    for _ in 0..self.r.range(1, 3) {
                        if self.r.chance(0.9) && !names.is_empty() {
                            a.push(self.r.pick(&names).clone().into_bytes());
                        } else {
                            a.push(v(b"nosuchcommand"));
                        }
                    }
                }
            }
            "config|get" => {
                for _ in 0..self.r.range(1, 2) {
                    a.push(v(self.r.pick(&[
                        b"maxmemory" as &[u8],
                        b"hash-max-listpack-entries",
                        b"hash-max-listpack-value",
                        b"set-max-intset-entries",
                        b"databases",
                        b"maxmemory-policy",
                        b"hash-max-*",
                        b"nosuchparam",
                        b"list-max-listpack-size",
                        b"proto-max-bulk-len",
                        b"hz",
                    ])));
                }
            }
            "config|set" => {
                for _ in 0..self.r.range(1, 2) {
                    let (p, vals): (&[u8], &[&[u8]]) = *self.r.pick(&[
                        (b"hash-max-listpack-entries" as &[u8], &[b"0" as &[u8], b"1", b"2", b"512", b"-1", b"abc"] as &[&[u8]]),
                        (b"hash-max-listpack-value", &[b"0", b"1", b"8", b"64"]),
                        (b"set-max-intset-entries", &[b"0", b"1", b"2", b"512"]),
                        (b"zset-max-listpack-entries", &[b"0", b"1", b"2", b"128"]),
                        (b"zset-max-listpack-value", &[b"1", b"64"]),
                        (b"list-max-listpack-size", &[b"-2", b"-1", b"1", b"2", b"-6", b"0"]),
                        (b"maxmemory-policy", &[b"noeviction", b"allkeys-lru", b"bogus"]),
                        (b"nosuchparam", &[b"1"]),
                    ]);
                    a.push(v(p));
                    a.push(v(self.r.pick(vals)));
                }
            }
            "client|setname" => a.push(v(self.r.pick(&[b"name" as &[u8], b"a b", b"", b"x-1", b"\n"]))),
            "watch" => {
                let ks = self.keys(1, 2);
                a.extend(ks);
            }
            "hello" => {
                if self.r.chance(0.8) {
                    a.push(v(self.r.pick(&[b"2" as &[u8], b"3", b"3", b"1", b"4", b"abc"])));
                    if self.r.chance(0.2) {
                        a.push(v(b"SETNAME"));
                        a.push(v(b"me"));
                    }
                }
            }
            // ----------------------------------------------------------- zsets
            "zadd" => {
                a.push(self.key());
                for _ in 0..self.r.range(0, 2) {
                    a.push(v(self.r.pick(&[b"NX" as &[u8], b"XX", b"GT", b"LT", b"CH", b"INCR", b"ch"])));
                }
                if self.r.chance(0.02) {
                    for i in 0..140 {
                        a.push(n(if self.lex { 0 } else { i % 7 }));
                        a.push(format!("bulk{i}").into_bytes());
                    }
                } else {
                    for _ in 0..self.r.range(1, 3) {
                        a.push(self.score());
                        a.push(self.zmember());
                    }
                }
            }
            "zincrby" => {
                a.push(self.key());
                a.push(self.score());
                a.push(self.zmember());
            }
            "zcard" => a.push(self.key()),
            "zscore" | "zrank" | "zrevrank" => {
                a.push(self.key());
                a.push(self.zmember());
            }
            "zmscore" | "zrem" => {
                a.push(self.key());
                for _ in 0..self.r.range(1, 3) {
                    a.push(self.zmember());
                }
            }
            "zcount" | "zremrangebyscore" => {
                a.push(self.key());
                a.push(self.score_bound());
                a.push(self.score_bound());
            }
            "zlexcount" | "zremrangebylex" => {
                a.push(self.key());
                a.push(self.lex_bound());
                a.push(self.lex_bound());
            }
            "zrange" | "zrangestore" => {
                if name == "zrangestore" {
                    a.push(self.key());
                }
                a.push(self.key());
                let by: &[u8] = match self.r.below(3) {
                    0 => {
                        a.push(self.score_bound());
                        a.push(self.score_bound());
                        b"BYSCORE"
                    }
                    1 if self.lex => {
                        a.push(self.lex_bound());
                        a.push(self.lex_bound());
                        b"BYLEX"
                    }
                    _ => {
                        a.push(self.idx());
                        a.push(self.idx());
                        b""
                    }
                };
                if !by.is_empty() && self.r.chance(0.9) {
                    a.push(v(by));
                }
                self.zrange_opts(&mut a, name == "zrangestore");
            }
            "zrangebyscore" | "zrevrangebyscore" | "zrangebylex" | "zrevrangebylex" => {
                a.push(self.key());
                let lex = name.contains("lex");
                for _ in 0..2 {
                    let b = if lex { self.lex_bound() } else { self.score_bound() };
                    a.push(b);
                }
                if !lex && self.r.chance(0.4) {
                    a.push(v(b"WITHSCORES"));
                }
                if self.r.chance(0.3) {
                    a.push(v(b"LIMIT"));
                    a.push(self.idx());
                    a.push(self.idx());
                }
            }
            "zrevrange" | "zremrangebyrank" => {
                a.push(self.key());
                a.push(self.idx());
                a.push(self.idx());
                if name == "zrevrange" && self.r.chance(0.4) {
                    a.push(v(b"WITHSCORES"));
                }
            }
            "zpopmin" | "zpopmax" => {
                a.push(self.key());
                if self.r.chance(0.5) {
                    a.push(self.count());
                }
            }
            "bzpopmin" | "bzpopmax" => {
                let ks = self.keys(1, 3);
                a.extend(ks);
                a.push(self.timeout());
            }
            "zmpop" | "bzmpop" => {
                if name == "bzmpop" {
                    a.push(self.timeout());
                }
                self.zkeys(&mut a);
                a.push(v(self.r.pick(&[b"MIN" as &[u8], b"MAX", b"min", b"MIDDLE"])));
                if self.r.chance(0.5) {
                    a.push(v(b"COUNT"));
                    a.push(self.count());
                }
            }
            "zrandmember" => {
                a.push(self.key());
                if self.r.chance(0.7) {
                    a.push(self.count());
                    if self.r.chance(0.5) {
                        a.push(v(self.r.pick(&[b"WITHSCORES" as &[u8], b"withscores", b"BAD"])));
                    }
                }
            }
            "zscan" => {
                a.push(self.key());
                a.push(self.scan_cursor());
                self.scan_opts(&mut a, false);
            }
            "zunion" | "zinter" | "zdiff" | "zunionstore" | "zinterstore" | "zdiffstore" | "zintercard" => {
                if name.ends_with("store") {
                    a.push(self.key());
                }
                let k = self.r.range(1, 3);
                a.push(if self.r.chance(0.93) { n(k) } else { v(self.r.pick(&[b"0" as &[u8], b"-1", b"abc", b"5"])) });
                for _ in 0..k {
                    a.push(self.key());
                }
                if name == "zintercard" {
                    if self.r.chance(0.5) {
                        a.push(v(b"LIMIT"));
                        a.push(self.count());
                    }
                } else {
                    if name != "zdiff" && name != "zdiffstore" && self.r.chance(0.4) {
                        a.push(v(b"WEIGHTS"));
                        for _ in 0..k {
                            a.push(self.score());
                        }
                    }
                    if name != "zdiff" && name != "zdiffstore" && self.r.chance(0.4) {
                        a.push(v(b"AGGREGATE"));
                        a.push(v(self.r.pick(&[b"SUM" as &[u8], b"MIN", b"MAX", b"max", b"AVG"])));
                    }
                    if !name.ends_with("store") && self.r.chance(0.5) {
                        a.push(v(b"WITHSCORES"));
                    }
                }
            }
            // ------------------------------------------------------------- geo
            "geoadd" => {
                a.push(self.key());
                for _ in 0..self.r.range(0, 2) {
                    a.push(v(self.r.pick(&[b"NX" as &[u8], b"XX", b"CH", b"ch", b"NX", b"CH", b"xx", b"CH", b"ch", b"GT"])));
                }
                if self.r.chance(0.03) {
                    // Enough members to leave the listpack encoding.
                    for i in 0..140 {
                        let (x, y) = self.geo_lonlat();
                        a.push(x);
                        a.push(y);
                        a.push(format!("bulk{i}").into_bytes());
                    }
                } else {
                    for _ in 0..self.r.range(1, 6) {
                        let (x, y) = self.geo_lonlat();
                        a.push(x);
                        a.push(y);
                        a.push(self.geo_member());
                    }
                }
            }
            "geopos" | "geohash" => {
                a.push(self.key());
                for _ in 0..self.r.range(0, 4) {
                    a.push(self.geo_member());
                }
            }
            "geodist" => {
                a.push(self.key());
                a.push(self.geo_member());
                a.push(self.geo_member());
                if self.r.chance(0.6) {
                    a.push(self.geo_unit());
                }
            }
            "georadius" | "georadius_ro" | "georadiusbymember" | "georadiusbymember_ro" => {
                a.push(self.key());
                if name.starts_with("georadiusbymember") {
                    a.push(self.geo_member());
                } else {
                    let (x, y) = self.geo_lonlat();
                    a.push(x);
                    a.push(y);
                }
                a.push(self.geo_radius());
                a.push(self.geo_unit());
                self.geo_opts(&mut a, !name.ends_with("_ro"), false);
            }
            "geosearch" | "geosearchstore" => {
                let store = name == "geosearchstore";
                if store {
                    a.push(self.key());
                }
                a.push(self.key());
                self.geo_opts(&mut a, false, true);
                if store && self.r.chance(0.3) {
                    a.push(v(b"STOREDIST"));
                }
            }
            // ------------------------------------------------------ hyperloglog
            "pfadd" => {
                a.push(self.key());
                if self.r.chance(0.05) {
                    // Enough distinct elements to go dense.
                    for _ in 0..self.r.range(100, 3000) {
                        a.push(n(self.r.range(0, 1 << 40)));
                    }
                } else {
                    for _ in 0..self.r.range(0, 4) {
                        a.push(if self.r.chance(0.8) { n(self.r.range(0, 50)) } else { self.val() });
                    }
                }
            }
            "pfcount" => {
                let ks = self.keys(1, 3);
                a.extend(ks);
            }
            "pfmerge" => {
                let ks = self.keys(1, 3);
                a.extend(ks);
            }
            "pfdebug" => {
                a.push(v(self.r.pick(&[b"GETREG" as &[u8], b"ENCODE", b"DECODE", b"TODENSE", b"BOGUS"])));
                a.push(self.key());
            }
            // --------------------------------------------------------- streams
            "xadd" => {
                a.push(self.key());
                if self.r.chance(0.1) {
                    a.push(v(b"NOMKSTREAM"));
                }
                if self.r.chance(0.2) {
                    self.xtrim_strategy(&mut a);
                }
                a.push(self.xadd_id());
                for _ in 0..self.r.range(1, 2) {
                    a.push(self.field());
                    a.push(self.val());
                }
            }
            "xrange" | "xrevrange" => {
                a.push(self.key());
                a.push(self.stream_id());
                a.push(self.stream_id());
                if self.r.chance(0.4) {
                    a.push(v(b"COUNT"));
                    a.push(self.count());
                }
            }
            "xlen" => a.push(self.key()),
            "xdel" => {
                a.push(self.key());
                for _ in 0..self.r.range(1, 3) {
                    a.push(self.stream_id());
                }
            }
            "xtrim" => {
                a.push(self.key());
                self.xtrim_strategy(&mut a);
            }
            "xread" | "xreadgroup" => {
                if name == "xreadgroup" {
                    a.push(v(b"GROUP"));
                    a.push(self.group());
                    a.push(self.consumer());
                }
                if self.r.chance(0.4) {
                    a.push(v(b"COUNT"));
                    a.push(self.count());
                }
                if name == "xreadgroup" && self.r.chance(0.2) {
                    a.push(v(b"NOACK"));
                }
                a.push(v(b"STREAMS"));
                let k = self.r.range(1, 2);
                for _ in 0..k {
                    a.push(self.key());
                }
                for _ in 0..k {
                    let id = if name == "xreadgroup" {
                        if self.r.chance(0.7) { v(b">") } else { self.stream_id() }
                    } else if self.r.chance(0.2) {
                        v(b"$")
                    } else {
                        self.stream_id()
                    };
                    a.push(id);
                }
            }
            "xgroup|create" | "xgroup|setid" => {
                a.push(self.key());
                a.push(self.group());
                a.push(match self.r.below(10) {
                    0..=1 => v(b"$"),
                    2..=5 => v(b"0"),
                    _ => self.stream_id(),
                });
                if name == "xgroup|create" && self.r.chance(0.5) {
                    a.push(v(b"MKSTREAM"));
                }
                if self.r.chance(0.2) {
                    a.push(v(b"ENTRIESREAD"));
                    a.push(self.count());
                }
            }
            "xgroup|destroy" => {
                a.push(self.key());
                a.push(self.group());
            }
            "xgroup|createconsumer" | "xgroup|delconsumer" => {
                a.push(self.key());
                a.push(self.group());
                a.push(self.consumer());
            }
            "xack" => {
                a.push(self.key());
                a.push(self.group());
                for _ in 0..self.r.range(1, 3) {
                    a.push(self.stream_id());
                }
            }
            "xpending" => {
                a.push(self.key());
                a.push(self.group());
                if self.r.chance(0.6) {
                    if self.r.chance(0.2) {
                        a.push(v(b"IDLE"));
                        a.push(v(self.r.pick(&[b"0" as &[u8], b"100000000", b"-1"])));
                    }
                    a.push(self.stream_id());
                    a.push(self.stream_id());
                    a.push(self.count());
                    if self.r.chance(0.5) {
                        a.push(self.consumer());
                    }
                }
            }
            "xclaim" | "xautoclaim" => {
                a.push(self.key());
                a.push(self.group());
                a.push(self.consumer());
                // 0 claims everything, 10^8 ms nothing: no race with the clock.
                a.push(v(self.r.pick(&[b"0" as &[u8], b"0", b"100000000", b"-1", b"abc"])));
                if name == "xclaim" {
                    for _ in 0..self.r.range(1, 3) {
                        a.push(self.stream_id());
                    }
                    for _ in 0..self.r.range(0, 2) {
                        match self.r.below(6) {
                            0 => {
                                a.push(v(b"RETRYCOUNT"));
                                a.push(self.count());
                            }
                            1 => a.push(v(b"FORCE")),
                            2 => a.push(v(b"JUSTID")),
                            3 => {
                                a.push(v(b"LASTID"));
                                a.push(self.stream_id());
                            }
                            4 => {
                                a.push(v(b"IDLE"));
                                a.push(v(self.r.pick(&[b"0" as &[u8], b"100000000"])));
                            }
                            _ => a.push(v(b"BOGUS")),
                        }
                    }
                } else {
                    a.push(self.stream_id());
                    if self.r.chance(0.4) {
                        a.push(v(b"COUNT"));
                        a.push(self.count());
                    }
                    if self.r.chance(0.3) {
                        a.push(v(b"JUSTID"));
                    }
                }
            }
            "xinfo|stream" => {
                a.push(self.key());
                if self.r.chance(0.2) {
                    a.push(v(b"FULL"));
                    if self.r.chance(0.5) {
                        a.push(v(b"COUNT"));
                        a.push(self.count());
                    }
                }
            }
            "xinfo|groups" => a.push(self.key()),
            "xinfo|consumers" => {
                a.push(self.key());
                a.push(self.group());
            }
            "xsetid" => {
                a.push(self.key());
                a.push(self.stream_id());
                if self.r.chance(0.3) {
                    a.push(v(b"ENTRIESADDED"));
                    a.push(self.count());
                }
                if self.r.chance(0.3) {
                    a.push(v(b"MAXDELETEDID"));
                    a.push(self.stream_id());
                }
            }
            _ => a.push(self.key()),
        }
        a
    }

    fn score(&mut self) -> Vec<u8> {
        if self.lex {
            return v(if self.r.chance(0.97) { b"0" as &[u8] } else { b"abc" });
        }
        match self.r.below(12) {
            0 => v(self.r.pick(&[b"inf" as &[u8], b"-inf", b"+inf", b"nan", b"abc", b"", b"1e308", b"-0", b"9007199254740993", b"0x10", b"1e-320"])),
            1 | 2 => v(self.r.pick(&[b"1.5" as &[u8], b"-2.25", b"0.1", b"3.0", b"100"])),
            _ => n(self.r.range(-3, 5)),
        }
    }

    /// A coordinate pair: clustered near a few spots (ties, neighbour
    /// cells), uniform over the map, at the limits, or invalid.
    fn geo_lonlat(&mut self) -> (Vec<u8>, Vec<u8>) {
        let r = &mut self.r;
        let f = |x: f64, d: usize| format!("{x:.d$}").into_bytes();
        match r.below(40) {
            0 => (
                v(r.pick(&[b"180" as &[u8], b"-180", b"180.0000001", b"abc", b"", b"inf", b"0x1p3", b"-0", b"1e1", b"13.361389"])),
                v(r.pick(&[b"85.05112878" as &[u8], b"-85.05112878", b"85.05112879", b"-90", b"nan", b"0", b"38.115556", b"1e-320"])),
            ),
            1..=6 => {
                let x = r.range(-180_000_000, 180_000_001) as f64 / 1e6;
                let y = r.range(-85_051_128, 85_051_129) as f64 / 1e6;
                (f(x, 6), f(y, 6))
            }
            _ => {
                const SPOTS: &[(f64, f64)] = &[(13.361389, 38.115556), (15.087269, 37.502669), (0.0, 0.0), (-179.99, 85.0), (179.995, -84.99), (-0.0001, 0.00005), (2.35, 48.85)];
                let (cx, cy) = *r.pick(SPOTS);
                let spread = *r.pick(&[0.0, 0.0, 0.00001, 0.001, 0.01, 0.1, 0.5, 1.0, 3.0]);
                let dx = (r.range(-1000, 1001) as f64 / 1000.0) * spread;
                let dy = (r.range(-1000, 1001) as f64 / 1000.0) * spread;
                let x = (cx + dx).clamp(-180.0, 180.0);
                let y = (cy + dy).clamp(-85.05112878, 85.05112878);
                let d = r.range(3, 9) as usize;
                (f(x, d), f(y, d))
            }
        }
    }

    fn geo_member(&mut self) -> Vec<u8> {
        match self.r.below(30) {
            0 => self.zmember(),
            1 => v(b"bulk7"),
            _ => format!("m{}", self.r.range(0, 5)).into_bytes(),
        }
    }

    fn geo_unit(&mut self) -> Vec<u8> {
        if self.r.chance(0.03) {
            return v(self.r.pick(&[b"yd" as &[u8], b"", b"kms"]));
        }
        v(self.r.pick(&[b"m" as &[u8], b"km", b"km", b"km", b"ft", b"mi", b"KM", b"Mi", b"M"]))
    }

    fn geo_radius(&mut self) -> Vec<u8> {
        match self.r.below(30) {
            0 => v(self.r.pick(&[b"-1" as &[u8], b"abc", b"inf", b"0", b"1e-300", b"", b"1e9", b"0x10"])),
            1..=6 => format!("{:.3}", self.r.range(0, 10_000_000) as f64 / 1000.0).into_bytes(),
            _ => n(*self.r.pick(&[0, 1, 5, 10, 50, 100, 200, 500, 1000, 3000, 10000, 20000, 100000, 1000000, 5000000])),
        }
    }

    /// Search options in random order; `store` allows STORE/STOREDIST,
    /// `search` adds GEOSEARCH's FROM*/BY* clauses.
    fn geo_opts(&mut self, a: &mut Argv, store: bool, search: bool) {
        let mut opts: Vec<Argv> = Vec::new();
        if search {
            if self.r.chance(0.95) {
                opts.push(if self.r.chance(0.5) {
                    vec![v(b"FROMMEMBER"), self.geo_member()]
                } else {
                    let (x, y) = self.geo_lonlat();
                    vec![v(b"FROMLONLAT"), x, y]
                });
            }
            if self.r.chance(0.95) {
                opts.push(if self.r.chance(0.5) {
                    vec![v(b"BYRADIUS"), self.geo_radius(), self.geo_unit()]
                } else {
                    vec![v(b"BYBOX"), self.geo_radius(), self.geo_radius(), self.geo_unit()]
                });
            }
        }
        for _ in 0..self.r.range(0, 4) {
            let o = match self.r.below(24) {
                0..=2 => vec![v(b"WITHDIST")],
                3 | 4 => vec![v(b"WITHCOORD")],
                5 | 6 => vec![v(b"WITHHASH")],
                7..=10 => vec![v(self.r.pick(&[b"ASC" as &[u8], b"DESC", b"asc"]))],
                11..=16 => {
                    let c = if self.r.chance(0.9) { n(self.r.range(1, 12)) } else { v(self.r.pick(&[b"0" as &[u8], b"-1", b"x"])) };
                    let mut o = vec![v(b"COUNT"), c];
                    if self.r.chance(0.3) {
                        o.push(v(b"ANY"));
                    }
                    o
                }
                17 | 18 if store => vec![v(self.r.pick(&[b"STORE" as &[u8], b"STOREDIST"])), self.key()],
                19 => vec![v(self.r.pick(&[b"ANY" as &[u8], b"STOREDIST", b"BOGUS", b"STORE", b"FROMMEMBER", b"BYBOX"]))],
                _ => continue,
            };
            opts.push(o);
        }
        let len = opts.len();
        for i in (1..len).rev() {
            let j = self.r.below(i + 1);
            opts.swap(i, j);
        }
        for o in opts {
            a.extend(o);
        }
    }

    fn zmember(&mut self) -> Vec<u8> {
        match self.r.below(20) {
            0 => self.val(),
            1 => vec![b'm'; 65],
            _ => v(self.r.pick(&[b"a" as &[u8], b"b", b"c", b"d", b"1", b"2", b"", b"a\x00", b"B"])),
        }
    }

    /// A BYSCORE bound: inclusive, exclusive `(`, infinities, junk.
    fn score_bound(&mut self) -> Vec<u8> {
        match self.r.below(10) {
            0 => v(self.r.pick(&[b"-inf" as &[u8], b"+inf", b"inf", b"(inf", b"abc", b"(", b"nan", b"(1e", b""])),
            1..=3 => {
                let mut b = b"(".to_vec();
                b.extend(n(self.r.range(-3, 5)));
                b
            }
            4 => v(self.r.pick(&[b"1.5" as &[u8], b"(2.25", b"-0.5"])),
            _ => n(self.r.range(-3, 5)),
        }
    }

    /// A BYLEX bound: `-`, `+`, `[x`, `(x`, junk.
    fn lex_bound(&mut self) -> Vec<u8> {
        match self.r.below(8) {
            0 => v(self.r.pick(&[b"-" as &[u8], b"+"])),
            1 => v(self.r.pick(&[b"a" as &[u8], b"", b"[", b"(", b"*"])),
            _ => {
                let mut b = v(self.r.pick(&[b"[" as &[u8], b"("]));
                b.extend(v(self.r.pick(&[b"a" as &[u8], b"b", b"c", b"", b"1", b"a\x00"])));
                b
            }
        }
    }

    fn zkeys(&mut self, a: &mut Argv) {
        let k = self.r.range(1, 3);
        a.push(if self.r.chance(0.93) { n(k) } else { v(self.r.pick(&[b"0" as &[u8], b"-1", b"abc", b"5"])) });
        for _ in 0..k {
            a.push(self.key());
        }
    }

    fn zrange_opts(&mut self, a: &mut Argv, store: bool) {
        for _ in 0..self.r.range(0, 3) {
            match self.r.below(8) {
                0 if self.lex => a.push(v(self.r.pick(&[b"BYSCORE" as &[u8], b"BYLEX", b"bylex"]))),
                0 => a.push(v(self.r.pick(&[b"BYSCORE" as &[u8], b"byscore"]))),
                1 => a.push(v(b"REV")),
                2 => {
                    a.push(v(b"LIMIT"));
                    a.push(self.idx());
                    a.push(self.idx());
                }
                3 if !store => a.push(v(b"WITHSCORES")),
                4 => a.push(v(b"BOGUS")),
                _ => {}
            }
        }
    }

    /// An XADD ID: mostly increasing explicit or `ms-*`, sometimes stale or
    /// invalid.
    fn xadd_id(&mut self) -> Vec<u8> {
        match self.r.below(10) {
            0 => v(self.r.pick(&[b"0-0" as &[u8], b"abc", b"1-1", b"0-1", b"18446744073709551615-18446744073709551615", b"-1", b"5-", b"1-*x"])),
            1..=4 => {
                self.id_ms += self.r.range(0, 2);
                format!("{}-*", self.id_ms).into_bytes()
            }
            _ => {
                self.id_ms += self.r.range(0, 2);
                format!("{}-{}", self.id_ms, self.r.range(0, 3)).into_bytes()
            }
        }
    }

    /// An ID argument for ranges, XDEL, XACK, XCLAIM...
    fn stream_id(&mut self) -> Vec<u8> {
        match self.r.below(8) {
            0 => v(self.r.pick(&[b"-" as &[u8], b"+", b"0", b"abc", b"(1-0", b"18446744073709551615-18446744073709551615", b"(+"])),
            1 => n(self.r.range(0, self.id_ms + 1)),
            _ => format!("{}-{}", self.r.range(0, self.id_ms + 1), self.r.range(0, 2)).into_bytes(),
        }
    }

    fn group(&mut self) -> Vec<u8> {
        v(self.r.pick(&[b"g1" as &[u8], b"g1", b"g1", b"g1", b"g1", b"g2", b"g2", b""]))
    }

    fn consumer(&mut self) -> Vec<u8> {
        v(self.r.pick(&[b"c1" as &[u8], b"c2", b"c3"]))
    }

    fn xtrim_strategy(&mut self, a: &mut Argv) {
        if self.r.chance(0.5) {
            a.push(v(b"MAXLEN"));
            if self.r.chance(0.4) {
                a.push(v(self.r.pick(&[b"=" as &[u8], b"~"])));
            }
            a.push(v(self.r.pick(&[b"0" as &[u8], b"1", b"2", b"5", b"-1", b"abc", b"100"])));
        } else {
            a.push(v(b"MINID"));
            if self.r.chance(0.4) {
                a.push(v(self.r.pick(&[b"=" as &[u8], b"~"])));
            }
            a.push(self.stream_id());
        }
        if self.r.chance(0.2) {
            a.push(v(b"LIMIT"));
            a.push(v(self.r.pick(&[b"0" as &[u8], b"1", b"10", b"-1"])));
        }
    }

    fn side(&mut self) -> Vec<u8> {
        if self.r.chance(0.05) {
            return v(self.r.pick(&[b"UP" as &[u8], b"", b"LEFTX"]));
        }
        v(self.r.pick(&[b"LEFT" as &[u8], b"RIGHT", b"left", b"Right"]))
    }

    /// A blocking timeout; the runner never lets a single-client command
    /// actually block (it checks the keys first or wraps it in MULTI).
    fn timeout(&mut self) -> Vec<u8> {
        if self.r.chance(0.1) {
            return v(self.r.pick(&[b"-1" as &[u8], b"abc", b"1e20", b"inf", b"", b"-0.5", b"9223372036854775807"]));
        }
        v(self.r.pick(&[b"0" as &[u8], b"0", b"1", b"0.5", b"100", b"0.001", b"10"]))
    }

    fn scan_cursor(&mut self) -> Vec<u8> {
        if self.r.chance(0.9) {
            v(b"0")
        } else {
            v(self.r.pick(&[b"abc" as &[u8], b"-1", b"", b"18446744073709551616", b"1.5"]))
        }
    }

    fn scan_opts(&mut self, a: &mut Argv, with_type: bool) {
        for _ in 0..self.r.range(0, 3) {
            match self.r.below(if with_type { 5 } else { 4 }) {
                0 | 1 => {
                    a.push(v(b"MATCH"));
                    a.push(self.pattern());
                }
                2 => {
                    a.push(v(b"COUNT"));
                    a.push(v(self.r.pick(&[b"1" as &[u8], b"2", b"10", b"100", b"0", b"-1", b"abc"])));
                }
                3 if !with_type => a.push(v(b"BOGUS")),
                _ => {
                    a.push(v(b"TYPE"));
                    a.push(v(self.r.pick(&[b"string" as &[u8], b"list", b"hash", b"set", b"zset", b"nosuch", b"STRING"])));
                }
            }
        }
    }

    fn sort_args(&mut self, a: &mut Argv, store: bool) {
        a.push(self.key());
        for _ in 0..self.r.range(0, 4) {
            match self.r.below(8) {
                0 => {
                    a.push(v(b"BY"));
                    a.push(v(self.r.pick(&[b"w_*" as &[u8], b"nosort", b"h_*->f", b"missing_*", b"w_*->f", b"*"])));
                }
                1 => {
                    a.push(v(b"LIMIT"));
                    a.push(self.idx());
                    a.push(self.idx());
                }
                2 | 3 => {
                    a.push(v(b"GET"));
                    a.push(v(self.r.pick(&[b"#" as &[u8], b"w_*", b"h_*->f", b"nokey_*", b"h_*->", b"##"])));
                }
                4 => a.push(v(self.r.pick(&[b"ASC" as &[u8], b"DESC", b"desc"]))),
                5 => a.push(v(b"ALPHA")),
                6 if store => {
                    a.push(v(b"STORE"));
                    a.push(self.key());
                }
                _ => a.push(v(b"BOGUS")),
            }
        }
    }
}
