//! Snapshots, the journal and the persistence commands, through an
//! in-memory storage the tests can inspect and break.

mod common;
use common::*;

use std::sync::{Arc, Mutex};

use redlet::clock::ManualClock;
use redlet::snapshot::crc64;
use redlet::storage::{MemStorage, Storage, StorageError};
use redlet::{Config, Engine, Options, Reply};

/// Which storage operations fail.
#[derive(Default, Clone, Debug)]
struct Faults {
    begin: bool,
    write: bool,
    commit: bool,
    append: bool,
    sync: bool,
    /// Fail only operations on this blob (all when `None`).
    only: Option<&'static str>,
}

/// A MemStorage shared between the engine and the test, with fault
/// injection and operation counts.
#[derive(Clone, Default)]
struct Shared {
    mem: Arc<Mutex<MemStorage>>,
    faults: Arc<Mutex<Faults>>,
    syncs: Arc<Mutex<u64>>,
}

impl Shared {
    fn blob(&self, name: &str) -> Option<Vec<u8>> {
        self.mem.lock().unwrap().blobs.get(name).cloned()
    }
    fn set_blob(&self, name: &str, v: Vec<u8>) {
        self.mem.lock().unwrap().blobs.insert(name.into(), v);
    }
    fn fail(&self, f: Faults) {
        *self.faults.lock().unwrap() = f;
    }
    fn check(&self, name: &str, which: fn(&Faults) -> bool) -> Result<(), StorageError> {
        let f = self.faults.lock().unwrap();
        if which(&f) && f.only.is_none_or(|o| o == name) {
            return Err(StorageError::new(format!("{name}: injected failure")));
        }
        Ok(())
    }
}

impl Storage for Shared {
    fn size(&mut self, name: &str) -> Result<Option<u64>, StorageError> {
        self.mem.lock().unwrap().size(name)
    }
    fn read_at(&mut self, name: &str, offset: u64, buf: &mut [u8]) -> Result<usize, StorageError> {
        self.mem.lock().unwrap().read_at(name, offset, buf)
    }
    fn begin(&mut self, name: &str) -> Result<(), StorageError> {
        self.check(name, |f| f.begin)?;
        self.mem.lock().unwrap().begin(name)
    }
    fn write(&mut self, name: &str, data: &[u8]) -> Result<(), StorageError> {
        self.check(name, |f| f.write)?;
        self.mem.lock().unwrap().write(name, data)
    }
    fn commit(&mut self, name: &str) -> Result<(), StorageError> {
        if let Err(e) = self.check(name, |f| f.commit) {
            self.mem.lock().unwrap().abort(name);
            return Err(e);
        }
        self.mem.lock().unwrap().commit(name)
    }
    fn abort(&mut self, name: &str) {
        self.mem.lock().unwrap().abort(name)
    }
    fn append(&mut self, name: &str, data: &[u8]) -> Result<(), StorageError> {
        self.check(name, |f| f.append)?;
        self.mem.lock().unwrap().append(name, data)
    }
    fn sync(&mut self, name: &str) -> Result<(), StorageError> {
        self.check(name, |f| f.sync)?;
        *self.syncs.lock().unwrap() += 1;
        Ok(())
    }
}

fn config(appendonly: bool, fsync: &str) -> Config {
    let mut c = Config::default();
    c.set_param("appendonly", if appendonly { "yes" } else { "no" }).unwrap();
    c.set_param("appendfsync", fsync).unwrap();
    c
}

/// An engine on `st`, loaded, at time `ms`.
fn open(st: &Shared, cfg: Config, ms: u64) -> (Engine, ManualClock, redlet::persist::LoadReport) {
    let clock = ManualClock::new(ms);
    let mut e = Engine::new(Options { config: cfg, clock: Box::new(clock.clone()), seed: 7 });
    e.set_storage(Box::new(st.clone()));
    let rep = e.load().expect("load");
    (e, clock, rep)
}

fn cmd(e: &mut Engine, c: redlet::ClientId, parts: &[&str]) -> String {
    let refs: Vec<&[u8]> = parts.iter().map(|s| s.as_bytes()).collect();
    String::from_utf8_lossy(&e.execute(c, &refs).expect("blocked").to_resp(redlet::Protocol::Resp2)).into_owned()
}

/// Fills every db in `dbs` with every type.
fn populate(e: &mut Engine, dbs: &[usize]) {
    let c = client(e);
    for &db in dbs {
        resp(e, c, &format!("SELECT {db}"));
        resp(e, c, "SET int 12345");
        resp(e, c, "SET emb hello");
        cmd(e, c, &["SET", "raw", &"x".repeat(100)]);
        resp(e, c, "SET ttl v PX 500000");
        resp(e, c, "RPUSH list a b c 1 2 3");
        resp(e, c, "SADD iset 3 1 2 -5");
        resp(e, c, "SADD tset a b c 10");
        resp(e, c, "ZADD zsmall 1 a 2 b 2.5 c -inf d");
        for i in 0..200 {
            cmd(e, c, &["ZADD", "zbig", &format!("{}", i % 7), &format!("m{i}")]);
            cmd(e, c, &["HSET", "hbig", &format!("f{i}"), &format!("v{i}")]);
            cmd(e, c, &["SADD", "sbig", &format!("s{i}")]);
        }
        resp(e, c, "HSET hsmall z 1 a 2 m 3");
        resp(e, c, "PFADD hll a b c d e");
        for i in 1..=150 {
            cmd(e, c, &["XADD", "st", &format!("{i}-1"), "f", "v", "g", &format!("{i}")]);
        }
        resp(e, c, "XADD st 200-0 other field");
        resp(e, c, "XDEL st 5-1 6-1 100-1");
        resp(e, c, "XGROUP CREATE st g1 0");
        resp(e, c, "XGROUP CREATE st g2 $");
        resp(e, c, "XGROUP CREATECONSUMER st g2 idle");
        resp(e, c, "XREADGROUP GROUP g1 alice COUNT 3 STREAMS st >");
        resp(e, c, "XREADGROUP GROUP g1 bob COUNT 2 STREAMS st >");
        resp(e, c, "XACK st g1 1-1");
        resp(e, c, "XSETID st 300-0 ENTRIESADDED 500 MAXDELETEDID 250-0");
        resp(e, c, "XADD empty MAXLEN 0 * f v");
    }
}

/// A comparable dump of the dataset through commands.
fn dump(e: &mut Engine, dbs: &[usize]) -> Vec<String> {
    let c = client(e);
    let mut out = Vec::new();
    for &db in dbs {
        resp(e, c, &format!("SELECT {db}"));
        let keys = match run(e, c, "KEYS *") {
            Reply::Array(v) => v.into_iter().map(|r| match r {
                Reply::Bulk(b) => String::from_utf8(b).unwrap(),
                _ => panic!(),
            }).collect::<Vec<_>>(),
            _ => panic!(),
        };
        let mut keys = keys;
        keys.sort();
        for k in keys {
            let t = resp(e, c, &format!("TYPE {k}"));
            // Strings take the encoding a fresh SET would give (as Redis
            // after loading an RDB): only containers keep theirs.
            let enc = if t == "+string\r\n" { String::new() } else { resp(e, c, &format!("OBJECT ENCODING {k}")) };
            let ttl = resp(e, c, &format!("PTTL {k}"));
            let body = match t.as_str() {
                "+string\r\n" => resp(e, c, &format!("GET {k}")),
                "+list\r\n" => resp(e, c, &format!("LRANGE {k} 0 -1")),
                "+set\r\n" => resp(e, c, &format!("SORT {k} ALPHA")),
                "+zset\r\n" => resp(e, c, &format!("ZRANGE {k} 0 -1 WITHSCORES")),
                "+hash\r\n" => {
                    let mut v = resp(e, c, &format!("HGETALL {k}"));
                    if enc.contains("hashtable") {
                        v = format!("{}", v.split("\r\n").collect::<std::collections::BTreeSet<_>>().len());
                    }
                    v
                }
                "+stream\r\n" => resp(e, c, &format!("XINFO STREAM {k} FULL")),
                _ => String::new(),
            };
            out.push(format!("{db} {k} {t} {enc} {ttl} {body}"));
        }
    }
    out
}

#[test]
fn round_trip_every_type_every_db() {
    let st = Shared::default();
    let dbs = [0usize, 3, 15];
    let (mut e, _clock, rep) = open(&st, Config::default(), 1_000_000);
    assert!(!rep.snapshot_found);
    populate(&mut e, &dbs);
    let before = dump(&mut e, &dbs);
    let c = client(&mut e);
    assert_eq!(resp(&mut e, c, "SAVE"), "+OK\r\n");
    let snap1 = st.blob("snapshot").unwrap();
    let (mut e2, _c2, rep) = open(&st, Config::default(), 1_000_000);
    assert!(rep.snapshot_found);
    assert_eq!(rep.expired_dropped, 0);
    assert_eq!(rep.keys_loaded as usize, before.len());
    let after = dump(&mut e2, &dbs);
    assert_eq!(before.len(), after.len());
    for (b, a) in before.iter().zip(&after) {
        assert!(b == a, "before: {}\nafter:  {}", &b[..b.len().min(3000)], &a[..a.len().min(3000)]);
    }
    // Byte-identical re-encoding (the epoch and checksum aside).
    e2.save().unwrap();
    let snap2 = st.blob("snapshot").unwrap();
    assert_eq!(snap1.len(), snap2.len());
    assert_eq!(snap1[..12], snap2[..12]);
    assert_eq!(snap1[20..snap1.len() - 8], snap2[20..snap2.len() - 8]);
    assert_eq!(e2.persist_epoch(), 2);
}

/// Keys go out in slot order and set members and hash fields in their
/// iteration order (what a background snapshot can write in steps, a big
/// value over several), so the same history gives the same bytes; another
/// history of the same data may give other bytes (format version 4: set
/// members are no longer sorted) but loads the same data.
#[test]
fn same_history_same_bytes_and_values_in_iteration_order() {
    let a = Shared::default();
    let b = Shared::default();
    let c = Shared::default();
    let (mut e1, _, _) = open(&a, Config::default(), 1_000_000);
    let (mut e2, _, _) = open(&b, Config::default(), 1_000_000);
    let (mut e3, _, _) = open(&c, Config::default(), 1_000_000);
    let c1 = client(&mut e1);
    let c2 = client(&mut e2);
    let c3 = client(&mut e3);
    for (e, c) in [(&mut e1, c1), (&mut e2, c2), (&mut e3, c3)] {
        cmd(e, c, &["SADD", "s", "first"]);
        for i in 0..300 {
            cmd(e, c, &["SET", &format!("k{i}"), "v"]);
        }
    }
    for i in 0..300 {
        cmd(&mut e1, c1, &["SADD", "s", &format!("m{i}")]);
        cmd(&mut e1, c1, &["HSET", "h", &format!("f{i}"), "v"]);
        cmd(&mut e2, c2, &["SADD", "s", &format!("m{i}")]);
        cmd(&mut e2, c2, &["HSET", "h", &format!("f{i}"), "v"]);
    }
    for i in (0..300).rev() {
        cmd(&mut e3, c3, &["SADD", "s", &format!("m{i}")]);
        cmd(&mut e3, c3, &["HSET", "h", &format!("f{i}"), "v"]);
    }
    cmd(&mut e2, c2, &["SET", "junk", "x"]);
    cmd(&mut e2, c2, &["DEL", "junk"]);
    e1.save().unwrap();
    e2.save().unwrap();
    e3.save().unwrap();
    assert_eq!(a.blob("snapshot"), b.blob("snapshot"));
    assert_ne!(a.blob("snapshot"), c.blob("snapshot"));
    let (mut l1, _, _) = open(&a, Config::default(), 1_000_000);
    let (mut l3, _, _) = open(&c, Config::default(), 1_000_000);
    let (d1, d3) = (client(&mut l1), client(&mut l3));
    for q in ["SORT s ALPHA", "SCARD s", "HLEN h", "DBSIZE"] {
        assert_eq!(resp(&mut l1, d1, q), resp(&mut l3, d3, q), "{q}");
    }
    let mut f1: Vec<String> = resp(&mut l1, d1, "HKEYS h").split("\r\n").map(String::from).collect();
    let mut f3: Vec<String> = resp(&mut l3, d3, "HKEYS h").split("\r\n").map(String::from).collect();
    f1.sort();
    f3.sort();
    assert_eq!(f1, f3);
}

#[test]
fn expired_keys_are_dropped_at_load() {
    let st = Shared::default();
    let (mut e, _, _) = open(&st, Config::default(), 1_000_000);
    let c = client(&mut e);
    resp(&mut e, c, "SET a 1 PX 1000");
    resp(&mut e, c, "SET b 1 PX 5000");
    resp(&mut e, c, "SET c 1");
    e.save().unwrap();
    let (mut e2, _, rep) = open(&st, Config::default(), 1_002_000);
    assert_eq!((rep.keys_loaded, rep.expired_dropped), (2, 1));
    let c = client(&mut e2);
    assert_eq!(resp(&mut e2, c, "PTTL b"), ":3000\r\n");
    assert_eq!(resp(&mut e2, c, "EXISTS a"), ":0\r\n");
    assert!(e2.info(&[b"persistence"]).contains("rdb_last_load_keys_expired:1\r\n"));
}

// ---------------------------------------------------------------------------
// Hand-made snapshots for the validation rejections.

fn var(out: &mut Vec<u8>, mut v: u64) {
    loop {
        let b = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(b);
            return;
        }
        out.push(b | 0x80);
    }
}

fn bytes(out: &mut Vec<u8>, b: &[u8]) {
    var(out, b.len() as u64);
    out.extend_from_slice(b);
}

fn snap_with(version: u32, body: &[u8]) -> Vec<u8> {
    let mut v = b"REDLETSN".to_vec();
    v.extend_from_slice(&version.to_le_bytes());
    v.extend_from_slice(&1u64.to_le_bytes());
    v.extend_from_slice(body);
    v.push(0xFF);
    let crc = crc64::checksum(&v);
    v.extend_from_slice(&crc.to_le_bytes());
    v
}

/// A db-0 section holding `nkeys` keys whose bytes are `keys`.
fn db0(nkeys: u64, keys: &[u8]) -> Vec<u8> {
    let mut v = vec![0xFE];
    var(&mut v, 0);
    var(&mut v, nkeys);
    v.extend_from_slice(keys);
    v
}

fn string_key(k: &str, val: &str) -> Vec<u8> {
    let mut v = vec![0u8];
    bytes(&mut v, k.as_bytes());
    bytes(&mut v, val.as_bytes());
    v
}

fn load_err(blob: Vec<u8>) -> String {
    let st = Shared::default();
    st.set_blob("snapshot", blob.clone());
    let clock = ManualClock::new(1_000_000);
    let mut e = Engine::new(Options { config: Config::default(), clock: Box::new(clock), seed: 1 });
    let c = client(&mut e);
    resp(&mut e, c, "SET keep me");
    e.set_storage(Box::new(st.clone()));
    let err = e.load().expect_err("load must fail");
    // All or nothing: the dataset and the blob are untouched.
    assert_eq!(resp(&mut e, c, "GET keep"), "$2\r\nme\r\n");
    assert_eq!(resp(&mut e, c, "DBSIZE"), ":1\r\n");
    assert_eq!(st.blob("snapshot").unwrap(), blob);
    assert_eq!(err.blob, "snapshot");
    err.to_string()
}

#[test]
fn valid_hand_made_snapshot_loads() {
    let st = Shared::default();
    let mut keys = string_key("a", "1");
    keys.extend(string_key("b", "2"));
    st.set_blob("snapshot", snap_with(1, &db0(2, &keys)));
    let (mut e, _, rep) = open(&st, Config::default(), 1_000_000);
    assert_eq!(rep.keys_loaded, 2);
    let c = client(&mut e);
    assert_eq!(resp(&mut e, c, "MGET a b"), "*2\r\n$1\r\n1\r\n$1\r\n2\r\n");
}

#[test]
fn rejects_duplicate_keys() {
    let mut keys = string_key("a", "1");
    keys.extend(string_key("a", "2"));
    let e = load_err(snap_with(1, &db0(2, &keys)));
    assert!(e.starts_with("snapshot: key \"a\" out of order or duplicated"), "{e}");
}

#[test]
fn rejects_nan_score() {
    let mut k = vec![3u8];
    bytes(&mut k, b"z");
    var(&mut k, 1);
    bytes(&mut k, b"m");
    k.extend_from_slice(&f64::NAN.to_bits().to_le_bytes());
    let e = load_err(snap_with(1, &db0(1, &k)));
    assert!(e.contains("NaN score in sorted set"), "{e}");
}

#[test]
fn rejects_duplicate_members_and_fields() {
    let mut k = vec![2u8];
    bytes(&mut k, b"s");
    var(&mut k, 2);
    bytes(&mut k, b"m");
    bytes(&mut k, b"m");
    let e = load_err(snap_with(1, &db0(1, &k)));
    assert!(e.contains("set members out of order or duplicated"), "{e}");
    let mut k = vec![4u8];
    bytes(&mut k, b"h");
    var(&mut k, 2);
    k.push(0);
    for _ in 0..2 {
        bytes(&mut k, b"f");
        bytes(&mut k, b"v");
    }
    let e = load_err(snap_with(1, &db0(1, &k)));
    assert!(e.contains("duplicate hash field \"f\""), "{e}");
    let mut k = vec![3u8];
    bytes(&mut k, b"z");
    var(&mut k, 2);
    bytes(&mut k, b"m");
    k.extend_from_slice(&1f64.to_bits().to_le_bytes());
    bytes(&mut k, b"m");
    k.extend_from_slice(&2f64.to_bits().to_le_bytes());
    let e = load_err(snap_with(1, &db0(1, &k)));
    assert!(e.contains("duplicate sorted set member"), "{e}");
}

/// A snapshot of format `version` (3 or later: with the `base` field).
fn snap_based(version: u32, body: &[u8]) -> Vec<u8> {
    let mut b = vec![0u8; 16];
    b.extend_from_slice(body);
    snap_with(version, &b)
}

fn set_key(members: &[&str]) -> Vec<u8> {
    let mut k = vec![2u8];
    bytes(&mut k, b"s");
    var(&mut k, members.len() as u64);
    for m in members {
        bytes(&mut k, m.as_bytes());
    }
    k
}

/// Version 4 writes set members (and hashtable fields) in iteration
/// order; versions 1 to 3 sorted them (hashes with order byte 1), and
/// their files still load, with the order they promised checked.
#[test]
fn set_member_and_hash_field_order_by_version() {
    let mut h = vec![4u8];
    bytes(&mut h, b"h");
    var(&mut h, 2);
    h.push(1);
    for f in ["a", "b"] {
        bytes(&mut h, f.as_bytes());
        bytes(&mut h, b"v");
    }
    let mut keys = set_key(&["1", "2", "x"]);
    keys.extend_from_slice(&h);
    let st = Shared::default();
    st.set_blob("snapshot", snap_based(3, &db0(2, &keys)));
    let (mut e, _, rep) = open(&st, Config::default(), 1_000_000);
    assert_eq!(rep.keys_loaded, 2);
    let c = client(&mut e);
    assert_eq!(resp(&mut e, c, "SORT s ALPHA"), "*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\nx\r\n");
    assert_eq!(resp(&mut e, c, "HGET h b"), "$1\r\nv\r\n");

    let e = load_err(snap_based(3, &db0(1, &set_key(&["x", "1"]))));
    assert!(e.contains("set members out of order or duplicated"), "{e}");

    let st = Shared::default();
    st.set_blob("snapshot", snap_based(4, &db0(1, &set_key(&["x", "2", "1"]))));
    let (mut e, _, rep) = open(&st, Config::default(), 1_000_000);
    assert_eq!(rep.keys_loaded, 1);
    let c = client(&mut e);
    assert_eq!(resp(&mut e, c, "SCARD s"), ":3\r\n");
    assert_eq!(resp(&mut e, c, "SMISMEMBER s 1 2 x y"), "*4\r\n:1\r\n:1\r\n:1\r\n:0\r\n");

    let e = load_err(snap_based(4, &db0(1, &set_key(&["x", "2", "x"]))));
    assert!(e.contains("duplicate set member \"x\""), "{e}");
}

/// A stream key with one node of `ids` (field f, values v) and `groups`.
fn stream_key(ids: &[(u64, u64)], groups: &[u8]) -> Vec<u8> {
    let mut k = vec![5u8];
    bytes(&mut k, b"x");
    let last = ids.iter().max().copied().unwrap_or((0, 0));
    var(&mut k, last.0);
    var(&mut k, last.1);
    var(&mut k, 0);
    var(&mut k, 0);
    var(&mut k, ids.len() as u64);
    var(&mut k, 1); // one node
    var(&mut k, 1);
    bytes(&mut k, b"f");
    var(&mut k, ids.len() as u64);
    for &(ms, seq) in ids {
        k.push(2); // same fields
        var(&mut k, ms);
        var(&mut k, seq);
        bytes(&mut k, b"v");
    }
    k.extend_from_slice(groups);
    k
}

#[test]
fn rejects_stream_ids_out_of_order() {
    let mut g = Vec::new();
    var(&mut g, 0);
    let e = load_err(snap_with(1, &db0(1, &stream_key(&[(2, 0), (1, 0)], &g))));
    assert!(e.contains("stream entry ids out of order"), "{e}");
}

#[test]
fn rejects_pel_naming_a_missing_consumer() {
    let mut g = Vec::new();
    var(&mut g, 1);
    bytes(&mut g, b"grp");
    var(&mut g, 1);
    var(&mut g, 0);
    var(&mut g, 2); // entries-read 1, zigzag
    var(&mut g, 1);
    bytes(&mut g, b"alice");
    var(&mut g, 0);
    var(&mut g, 1); // one PEL entry
    var(&mut g, 1);
    var(&mut g, 0);
    var(&mut g, 0);
    var(&mut g, 1);
    bytes(&mut g, b"bob");
    let e = load_err(snap_with(1, &db0(1, &stream_key(&[(1, 0)], &g))));
    assert!(e.contains("pending entry names missing consumer \"bob\""), "{e}");
}

#[test]
fn rejects_lengths_beyond_the_input() {
    let mut k = vec![0u8];
    bytes(&mut k, b"a");
    var(&mut k, 1 << 40);
    let e = load_err(snap_with(1, &db0(1, &k)));
    assert!(e.contains("length 1099511627776 larger than the remaining input"), "{e}");
    let e = load_err(snap_with(1, &db0(1 << 50, &[])));
    assert!(e.contains("key count 1125899906842624 larger than the remaining input"), "{e}");
}

#[test]
fn rejects_unknown_tags_trailing_bytes_bad_checksum_newer_version() {
    let mut k = vec![9u8];
    bytes(&mut k, b"a");
    let e = load_err(snap_with(1, &db0(1, &k)));
    assert!(e.contains("unknown value type tag 9"), "{e}");
    let mut b = snap_with(1, &db0(1, &string_key("a", "1")));
    b.push(0);
    let e = load_err(b);
    assert!(e.contains("1 trailing bytes after the checksum"), "{e}");
    let mut b = snap_with(1, &db0(1, &string_key("a", "1")));
    let n = b.len();
    b[n - 12] ^= 1;
    let e = load_err(b);
    assert!(e.contains("checksum mismatch"), "{e}");
    let e = load_err(snap_with(5, &db0(1, &string_key("a", "1"))));
    assert_eq!(e, "snapshot: snapshot format version 5 is newer than this build supports (4) (at byte 12)");
    let e = load_err(b"NOTASNAPSHOT".to_vec());
    assert!(e.contains("bad magic"), "{e}");
    let mut body = db0(1, &string_key("a", "1"));
    body[1] = 99;
    let e = load_err(snap_with(1, &body));
    assert!(e.contains("database 99 out of range (databases is 16)"), "{e}");
}

// ---------------------------------------------------------------------------
// The journal.

#[test]
fn journal_replays_writes_at_their_instants() {
    let st = Shared::default();
    let (mut e, clock, _) = open(&st, config(true, "always"), 1_000_000);
    let c = client(&mut e);
    resp(&mut e, c, "SET a 1");
    resp(&mut e, c, "EXPIRE a 100");
    resp(&mut e, c, "SET f 10.5");
    resp(&mut e, c, "INCRBYFLOAT f 0.1");
    resp(&mut e, c, "SELECT 2");
    resp(&mut e, c, "RPUSH l x y z");
    resp(&mut e, c, "GET nothing");
    clock.advance_ms(10_000);
    resp(&mut e, c, "SET later v EX 10");
    // Failed and no-op writes are not journaled.
    resp(&mut e, c, "DEL nothing");
    resp(&mut e, c, "LPUSH later x");
    let journal = st.blob("journal").unwrap();
    let (mut e2, _, rep) = open(&st, config(true, "always"), 1_050_000);
    assert_eq!(rep.journal_records, 6, "{rep:?}");
    assert_eq!(rep.torn_tail, None);
    let c = client(&mut e2);
    // EXPIRE 100 at t=1_000_000 s: expires at 1_100_000 ms.
    assert_eq!(resp(&mut e2, c, "PTTL a"), ":50000\r\n");
    assert_eq!(resp(&mut e2, c, "GET f"), "$4\r\n10.6\r\n");
    resp(&mut e2, c, "SELECT 2");
    assert_eq!(resp(&mut e2, c, "LRANGE l 0 -1"), "*3\r\n$1\r\nx\r\n$1\r\ny\r\n$1\r\nz\r\n");
    // SET EX 10 at 1_010_000: expired by 1_050_000.
    assert_eq!(resp(&mut e2, c, "EXISTS later"), ":0\r\n");
    // Loading does not rewrite the journal.
    assert_eq!(st.blob("journal").unwrap(), journal);
}

#[test]
fn journal_spop_records_what_was_chosen() {
    let st = Shared::default();
    let (mut e, _, _) = open(&st, config(true, "always"), 1_000_000);
    let c = client(&mut e);
    for i in 0..50 {
        cmd(&mut e, c, &["SADD", "s", &format!("m{i}")]);
    }
    resp(&mut e, c, "SADD small a b");
    resp(&mut e, c, "SPOP s");
    resp(&mut e, c, "SPOP s 10");
    resp(&mut e, c, "SPOP s 35");
    resp(&mut e, c, "SPOP small 5");
    let want = resp(&mut e, c, "SORT s ALPHA");
    // Another seed would choose differently: replay must not choose.
    let clock = ManualClock::new(1_000_000);
    let mut e2 = Engine::new(Options { config: config(true, "always"), clock: Box::new(clock), seed: 99 });
    e2.set_storage(Box::new(st.clone()));
    e2.load().unwrap();
    let c = client(&mut e2);
    assert_eq!(resp(&mut e2, c, "SORT s ALPHA"), want);
    assert_eq!(resp(&mut e2, c, "SCARD s"), ":4\r\n");
    assert_eq!(resp(&mut e2, c, "EXISTS small"), ":0\r\n");
}

#[test]
fn journal_blocking_pops_served_later_replay_from_the_serving_key() {
    let st = Shared::default();
    let (mut e, clock, _) = open(&st, config(true, "always"), 1_000_000);
    let a = client(&mut e);
    let b = client(&mut e);
    let z = client(&mut e);
    resp(&mut e, b, "RPUSH k1 old");
    // Blocks on k0 and k2 (k1 is not named); then k2 gets pushed.
    assert!(e.execute(a, &[b"BLPOP", b"k0", b"k2", b"0"]).is_none());
    assert!(e.execute(z, &[b"BZPOPMIN", b"z0", b"z1", b"0"]).is_none());
    clock.advance_ms(5);
    resp(&mut e, b, "MULTI");
    resp(&mut e, b, "RPUSH k2 v1 v2");
    resp(&mut e, b, "RPUSH k0 w");
    resp(&mut e, b, "EXEC");
    resp(&mut e, b, "ZADD z1 1 m 2 n");
    let want = (resp(&mut e, b, "LRANGE k0 0 -1"), resp(&mut e, b, "LRANGE k2 0 -1"), resp(&mut e, b, "ZRANGE z1 0 -1"));
    assert_eq!(want.1, "*1\r\n$2\r\nv2\r\n");
    let (mut e2, _, rep) = open(&st, config(true, "always"), 1_000_100);
    assert!(rep.journal_records >= 5, "{rep:?}");
    let c = client(&mut e2);
    let got = (resp(&mut e2, c, "LRANGE k0 0 -1"), resp(&mut e2, c, "LRANGE k2 0 -1"), resp(&mut e2, c, "ZRANGE z1 0 -1"));
    assert_eq!(got, want);
}

#[test]
fn journal_blmpop_blmove_and_xreadgroup_block_rewrites() {
    let st = Shared::default();
    let (mut e, clock, _) = open(&st, config(true, "always"), 1_000_000);
    let a = client(&mut e);
    let b = client(&mut e);
    let x = client(&mut e);
    let m = client(&mut e);
    let w = client(&mut e);
    assert!(e.execute(a, &[b"BLMPOP", b"0", b"2", b"l1", b"l2", b"RIGHT", b"COUNT", b"2"]).is_none());
    assert!(e.execute(m, &[b"BLMOVE", b"src", b"dst", b"LEFT", b"RIGHT", b"0"]).is_none());
    resp(&mut e, w, "XADD s1 1-1 f v");
    resp(&mut e, w, "XADD s2 1-1 f v");
    resp(&mut e, w, "XGROUP CREATE s1 g $");
    resp(&mut e, w, "XGROUP CREATE s2 g $");
    assert!(e.execute(x, &[b"XREADGROUP", b"GROUP", b"g", b"c", b"BLOCK", b"0", b"STREAMS", b"s1", b"s2", b">", b">"]).is_none());
    clock.advance_ms(7);
    resp(&mut e, b, "RPUSH l2 a b c");
    resp(&mut e, b, "RPUSH src x y");
    resp(&mut e, b, "XADD s2 2-1 f w");
    resp(&mut e, b, "XADD s1 2-1 f w");
    let want = |e: &mut Engine, c| {
        (
            resp(e, c, "LRANGE l2 0 -1"),
            resp(e, c, "LRANGE src 0 -1"),
            resp(e, c, "LRANGE dst 0 -1"),
            resp(e, c, "XINFO STREAM s1 FULL"),
            resp(e, c, "XINFO STREAM s2 FULL"),
        )
    };
    let before = want(&mut e, b);
    assert_eq!(before.0, "*1\r\n$1\r\na\r\n");
    let (mut e2, _, _) = open(&st, config(true, "always"), 1_000_100);
    let c = client(&mut e2);
    assert_eq!(want(&mut e2, c), before);
}

#[test]
fn journal_multi_is_framed_and_a_torn_transaction_is_dropped() {
    let st = Shared::default();
    let (mut e, _, _) = open(&st, config(true, "always"), 1_000_000);
    let c = client(&mut e);
    resp(&mut e, c, "SET before 1");
    let len_before = st.blob("journal").unwrap().len();
    resp(&mut e, c, "MULTI");
    resp(&mut e, c, "SET t1 1");
    resp(&mut e, c, "SELECT 1");
    resp(&mut e, c, "SET t2 2");
    resp(&mut e, c, "EXEC");
    let full = st.blob("journal").unwrap();
    let (mut e2, _, rep) = open(&st, config(true, "always"), 1_000_000);
    assert_eq!(rep.journal_records, 5); // SET, MULTI, SET, SET, EXEC
    let c2 = client(&mut e2);
    assert_eq!(resp(&mut e2, c2, "GET t1"), "$1\r\n1\r\n");
    resp(&mut e2, c2, "SELECT 1");
    assert_eq!(resp(&mut e2, c2, "GET t2"), "$1\r\n2\r\n");
    // Cut inside the transaction: it is dropped whole.
    st.set_blob("journal", full[..full.len() - 5].to_vec());
    let (mut e3, _, rep) = open(&st, config(true, "always"), 1_000_000);
    assert!(rep.torn_tail.is_some());
    let c3 = client(&mut e3);
    assert_eq!(resp(&mut e3, c3, "GET before"), "$1\r\n1\r\n");
    assert_eq!(resp(&mut e3, c3, "GET t1"), "$-1\r\n");
    assert!(full.len() > len_before);
}

#[test]
fn torn_tail_is_dropped_with_a_warning_and_cut_before_appending() {
    let st = Shared::default();
    let (mut e, _, _) = open(&st, config(true, "always"), 1_000_000);
    let c = client(&mut e);
    resp(&mut e, c, "SET a 1");
    resp(&mut e, c, "SET b 2");
    let mut j = st.blob("journal").unwrap();
    let good = j.len();
    j.extend_from_slice(&[40, 0, 0, 0, 1, 2, 3]);
    st.set_blob("journal", j);
    let (mut e2, _, rep) = open(&st, config(true, "always"), 1_000_000);
    assert_eq!(rep.journal_records, 2);
    let w = rep.torn_tail.clone().unwrap();
    assert!(w.starts_with(&format!("journal: dropped a torn last record at byte {good}")), "{w}");
    assert_eq!(rep.warnings().len(), 1);
    let c = client(&mut e2);
    resp(&mut e2, c, "SET c 3");
    let j = st.blob("journal").unwrap();
    assert!(j.len() > good);
    let (mut e3, _, rep) = open(&st, config(true, "always"), 1_000_000);
    assert_eq!((rep.journal_records, rep.torn_tail.is_none()), (3, true));
    let c = client(&mut e3);
    assert_eq!(resp(&mut e3, c, "MGET a b c"), "*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n");
    // A bad checksum on the last record is a torn tail too...
    let mut j = st.blob("journal").unwrap();
    let n = j.len();
    j[n - 1] ^= 0xff;
    st.set_blob("journal", j.clone());
    let (_, _, rep) = open(&st, config(true, "always"), 1_000_000);
    assert!(rep.torn_tail.unwrap().contains("last record checksum mismatch"));
    // ...but in the middle it is corruption: load fails.
    j[n - 1] ^= 0xff;
    j[40] ^= 0xff;
    st.set_blob("journal", j);
    let clock = ManualClock::new(1_000_000);
    let mut e4 = Engine::new(Options { config: config(true, "always"), clock: Box::new(clock), seed: 1 });
    e4.set_storage(Box::new(st.clone()));
    let err = e4.load().unwrap_err();
    assert_eq!(err.blob, "journal");
    assert!(err.reason.contains("checksum mismatch before the last record"), "{err}");
}

#[test]
fn save_compacts_the_journal_and_a_stale_journal_is_ignored() {
    let st = Shared::default();
    let (mut e, _, _) = open(&st, config(true, "always"), 1_000_000);
    let c = client(&mut e);
    resp(&mut e, c, "SET a 1");
    resp(&mut e, c, "INCR a");
    assert!(st.blob("journal").unwrap().len() > 28);
    assert_eq!(resp(&mut e, c, "SAVE"), "+OK\r\n");
    assert_eq!(st.blob("journal").unwrap().len(), 28);
    resp(&mut e, c, "INCR a");
    let old_journal = st.blob("journal").unwrap();
    // A crash after the next snapshot's commit, before the journal reset.
    st.fail(Faults { begin: true, only: Some("journal"), ..Default::default() });
    assert_eq!(resp(&mut e, c, "SAVE"), "+OK\r\n");
    assert_eq!(st.blob("journal").unwrap(), old_journal);
    st.fail(Faults::default());
    let (mut e2, _, rep) = open(&st, config(true, "always"), 1_000_000);
    assert!(rep.stale_journal.unwrap().contains("epoch 1 does not match the snapshot's epoch 2"));
    assert_eq!(rep.journal_records, 0);
    let c2 = client(&mut e2);
    assert_eq!(resp(&mut e2, c2, "GET a"), "$1\r\n3\r\n");
    // The next write replaces the stale journal before appending.
    resp(&mut e2, c2, "INCR a");
    let (mut e3, _, rep) = open(&st, config(true, "always"), 1_000_000);
    assert_eq!((rep.journal_records, rep.stale_journal), (1, None));
    let c3 = client(&mut e3);
    assert_eq!(resp(&mut e3, c3, "GET a"), "$1\r\n4\r\n");
}

#[test]
fn failing_storage_never_loses_the_last_good_snapshot() {
    for which in ["begin", "write", "commit"] {
        let st = Shared::default();
        let (mut e, _, _) = open(&st, Config::default(), 1_000_000);
        let c = client(&mut e);
        resp(&mut e, c, "SET a 1");
        assert_eq!(resp(&mut e, c, "SAVE"), "+OK\r\n");
        let good = st.blob("snapshot").unwrap();
        resp(&mut e, c, "SET a 2");
        let mut f = Faults::default();
        match which {
            "begin" => f.begin = true,
            "write" => f.write = true,
            _ => f.commit = true,
        }
        st.fail(f);
        assert_eq!(resp(&mut e, c, "SAVE"), "-ERR\r\n");
        let err = e.save().unwrap_err();
        assert_eq!(err.blob, "snapshot");
        assert!(err.to_string().contains("injected failure"), "{err}");
        assert_eq!(st.blob("snapshot").unwrap(), good, "{which}");
        // A failed foreground SAVE leaves the status alone, as Redis's
        // rdbSave does; a failed BGSAVE (a fork child's failure) sets it.
        let info = e.info(&[b"persistence"]);
        assert!(info.contains("rdb_last_bgsave_status:ok\r\n"), "{info}");
        assert_eq!(resp(&mut e, c, "BGSAVE"), "+Background saving started\r\n");
        assert_eq!(st.blob("snapshot").unwrap(), good, "{which}");
        let info = e.info(&[b"persistence"]);
        assert!(info.contains("rdb_last_bgsave_status:err\r\n"), "{info}");
        // stop-writes-on-bgsave-error: writes (and PING) refused, reads fine.
        let misconf = "-MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk. Commands that may modify the data set are disabled, because this instance is configured to report errors during writes if RDB snapshotting fails (stop-writes-on-bgsave-error option). Please check the Redis logs for details about the RDB error.\r\n";
        assert_eq!(resp(&mut e, c, "SET a 3"), misconf);
        assert_eq!(resp(&mut e, c, "PING"), misconf);
        assert_eq!(resp(&mut e, c, "GET a"), "$1\r\n2\r\n");
        assert_eq!(resp(&mut e, c, "BGSAVE"), "+Background saving started\r\n");
        st.fail(Faults::default());
        assert_eq!(resp(&mut e, c, "BGSAVE"), "+Background saving started\r\n");
        assert_eq!(resp(&mut e, c, "SET a 3"), "+OK\r\n");
        let (mut e2, _, _) = open(&st, Config::default(), 1_000_000);
        let c2 = client(&mut e2);
        assert_eq!(resp(&mut e2, c2, "GET a"), "$1\r\n2\r\n");
    }
}

#[test]
fn failing_journal_append_or_sync_is_reported_and_retried() {
    for which in ["append", "sync"] {
        let st = Shared::default();
        let (mut e, _, _) = open(&st, config(true, "always"), 1_000_000);
        let c = client(&mut e);
        resp(&mut e, c, "SET a 1");
        let mut f = Faults { only: Some("journal"), ..Default::default() };
        if which == "append" {
            f.append = true;
        } else {
            f.sync = true;
        }
        st.fail(f);
        resp(&mut e, c, "SET a 2");
        assert!(e.flush_journal().is_err());
        let info = e.info(&[b"persistence"]);
        assert!(info.contains("aof_last_write_status:err\r\n"), "{info}");
        assert_eq!(resp(&mut e, c, "SET a 3"), "-MISCONF Errors writing to the AOF file: journal: injected failure\r\n");
        st.fail(Faults::default());
        e.flush_journal().unwrap();
        assert_eq!(resp(&mut e, c, "SET a 3"), "+OK\r\n");
        e.flush_journal().unwrap();
        let (mut e2, _, _) = open(&st, config(true, "always"), 1_000_000);
        let c2 = client(&mut e2);
        assert_eq!(resp(&mut e2, c2, "GET a"), "$1\r\n3\r\n");
    }
}

#[test]
fn appendfsync_modes() {
    let st = Shared::default();
    let (mut e, clock, _) = open(&st, config(true, "always"), 1_000_000);
    let c = client(&mut e);
    let s0 = *st.syncs.lock().unwrap();
    resp(&mut e, c, "SET a 1");
    assert_eq!(*st.syncs.lock().unwrap(), s0 + 1);
    assert_eq!(e.journal_pending(), 0);
    // everysec: the host flushes; tick syncs once a second.
    resp(&mut e, c, "CONFIG SET appendfsync everysec");
    resp(&mut e, c, "SET a 2");
    e.flush_journal().unwrap();
    let s1 = *st.syncs.lock().unwrap();
    clock.advance_ms(1500);
    e.tick();
    assert_eq!(*st.syncs.lock().unwrap(), s1 + 1);
    e.tick();
    assert_eq!(*st.syncs.lock().unwrap(), s1 + 1);
    assert!(e.info(&[b"persistence"]).contains("aof_enabled:1\r\n"));
}

#[test]
fn appendonly_switched_on_writes_a_base_snapshot() {
    let st = Shared::default();
    let (mut e, _, _) = open(&st, config(false, "always"), 1_000_000);
    let c = client(&mut e);
    resp(&mut e, c, "SET a 1");
    assert!(st.blob("journal").is_none());
    resp(&mut e, c, "CONFIG SET appendonly yes");
    resp(&mut e, c, "SET b 2");
    e.flush_journal().unwrap();
    let (mut e2, _, _) = open(&st, config(true, "always"), 1_000_000);
    let c2 = client(&mut e2);
    assert_eq!(resp(&mut e2, c2, "MGET a b"), "*2\r\n$1\r\n1\r\n$1\r\n2\r\n");
}

#[test]
fn journal_compacts_itself_past_auto_aof_rewrite_min_size() {
    let st = Shared::default();
    let mut cfg = config(true, "always");
    cfg.set_param("auto-aof-rewrite-min-size", "10000").unwrap();
    cfg.set_param("save", "").unwrap();
    let (mut e, _, _) = open(&st, cfg, 1_000_000);
    let c = client(&mut e);
    for i in 0..300 {
        cmd(&mut e, c, &["SET", "k", &format!("value-{i}")]);
    }
    assert!(st.blob("journal").unwrap().len() > 10000);
    e.tick();
    assert_eq!(st.blob("journal").unwrap().len(), 28);
    let (mut e2, _, _) = open(&st, config(true, "always"), 1_000_000);
    let c2 = client(&mut e2);
    assert_eq!(resp(&mut e2, c2, "GET k"), "$9\r\nvalue-299\r\n");
}

#[test]
fn typed_api_writes_are_made_durable_by_a_snapshot() {
    let st = Shared::default();
    let (mut e, _, _) = open(&st, config(true, "always"), 1_000_000);
    let c = client(&mut e);
    resp(&mut e, c, "SET a 1");
    e.with_ctx(0, |cx| {
        let now = cx.now;
        cx.db().set(b"typed", redlet::types::Value::Str(redlet::types::Str::from_bytes(b"yes")), false, now);
        cx.dirty(1);
        Ok(())
    })
    .unwrap();
    let epoch = e.persist_epoch();
    e.flush_journal().unwrap();
    assert_eq!(e.persist_epoch(), epoch + 1);
    let (mut e2, _, _) = open(&st, config(true, "always"), 1_000_000);
    let c2 = client(&mut e2);
    assert_eq!(resp(&mut e2, c2, "MGET a typed"), "*2\r\n$1\r\n1\r\n$3\r\nyes\r\n");
}

#[test]
fn save_points_trigger_in_tick() {
    let st = Shared::default();
    let mut cfg = Config::default();
    cfg.set_param("save", "10 2").unwrap();
    let (mut e, clock, _) = open(&st, cfg, 1_000_000);
    let c = client(&mut e);
    resp(&mut e, c, "SET a 1");
    clock.advance_ms(11_000);
    e.tick();
    assert!(st.blob("snapshot").is_none());
    resp(&mut e, c, "SET a 2");
    e.tick();
    assert!(st.blob("snapshot").is_some());
    assert_eq!(resp(&mut e, c, "LASTSAVE"), ":1011\r\n");
    assert!(e.info(&[b"persistence"]).contains("rdb_changes_since_last_save:0\r\n"));
}

#[test]
fn shutdown_command() {
    let st = Shared::default();
    let (mut e, _, _) = open(&st, Config::default(), 1_000_000);
    let c = client(&mut e);
    assert_eq!(resp(&mut e, c, "SHUTDOWN ABORT"), "-ERR No shutdown in progress.\r\n");
    assert_eq!(resp(&mut e, c, "SHUTDOWN SAVE NOSAVE"), "-ERR syntax error\r\n");
    assert_eq!(resp(&mut e, c, "SHUTDOWN ABORT NOW"), "-ERR syntax error\r\n");
    assert_eq!(resp(&mut e, c, "SHUTDOWN FOO"), "-ERR syntax error\r\n");
    assert_eq!(resp(&mut e, c, "BGSAVE X"), "-ERR syntax error\r\n");
    assert_eq!(resp(&mut e, c, "SAVE X"), "-ERR wrong number of arguments for 'save' command\r\n");
    resp(&mut e, c, "MULTI");
    assert_eq!(resp(&mut e, c, "SHUTDOWN"), "-ERR Command not allowed inside a transaction\r\n");
    resp(&mut e, c, "DISCARD");
    resp(&mut e, c, "SET a 1");
    st.fail(Faults { write: true, ..Default::default() });
    assert_eq!(resp(&mut e, c, "SHUTDOWN"), "-ERR Errors trying to SHUTDOWN. Check logs.\r\n");
    assert!(!e.shutdown_requested());
    st.fail(Faults::default());
    assert_eq!(resp(&mut e, c, "SHUTDOWN"), "");
    assert!(e.shutdown_requested());
    assert!(e.should_close(c));
    let (mut e2, _, _) = open(&st, Config::default(), 1_000_000);
    let c2 = client(&mut e2);
    assert_eq!(resp(&mut e2, c2, "GET a"), "$1\r\n1\r\n");
    // NOSAVE does not save; FORCE shuts down despite a failed save.
    resp(&mut e2, c2, "SET a 2");
    e2.shutdown(Some(false)).unwrap();
    st.fail(Faults { write: true, ..Default::default() });
    let (mut e3, _, _) = open(&st, Config::default(), 1_000_000);
    let c3 = client(&mut e3);
    assert_eq!(resp(&mut e3, c3, "GET a"), "$1\r\n1\r\n");
    assert_eq!(resp(&mut e3, c3, "SHUTDOWN SAVE FORCE"), "");
    assert!(e3.shutdown_requested());
}

#[test]
fn bgsave_inside_exec_is_scheduled_for_tick() {
    let st = Shared::default();
    let (mut e, _, _) = open(&st, Config::default(), 1_000_000);
    let c = client(&mut e);
    resp(&mut e, c, "MULTI");
    resp(&mut e, c, "SET a 1");
    resp(&mut e, c, "BGSAVE");
    resp(&mut e, c, "SET b 2");
    assert_eq!(resp(&mut e, c, "EXEC"), "*3\r\n+OK\r\n+Background saving scheduled\r\n+OK\r\n");
    assert!(st.blob("snapshot").is_none());
    e.tick();
    let (mut e2, _, rep) = open(&st, Config::default(), 1_000_000);
    assert_eq!(rep.keys_loaded, 2);
    let c2 = client(&mut e2);
    assert_eq!(resp(&mut e2, c2, "MGET a b"), "*2\r\n$1\r\n1\r\n$1\r\n2\r\n");
}

#[test]
fn appendonly_without_storage_buffers_nothing() {
    let (mut e, _) = engine_with(config(true, "everysec"));
    let c = client(&mut e);
    for i in 0..100 {
        resp(&mut e, c, &format!("SET k{i} v"));
    }
    assert_eq!(e.journal_pending(), 0);
}

#[test]
fn without_storage_save_is_a_no_op() {
    let (mut e, clock) = engine();
    let c = client(&mut e);
    resp(&mut e, c, "SET a 1");
    clock.advance_ms(5000);
    assert_eq!(resp(&mut e, c, "SAVE"), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "LASTSAVE"), ":1005\r\n");
    assert_eq!(resp(&mut e, c, "BGSAVE SCHEDULE"), "+Background saving started\r\n");
    let err = e.load().unwrap_err();
    assert_eq!(err.to_string(), "storage: no storage attached");
    assert_eq!(resp(&mut e, c, "SHUTDOWN"), "");
    assert!(e.shutdown_requested());
}

/// Rough save/load timing of ~1M keys (`cargo test --release --test
/// persistence -- --ignored --nocapture`).
#[test]
#[ignore]
fn timing_save_and_load_1m_keys() {
    let st = Shared::default();
    let (mut e, _, _) = open(&st, Config::default(), 1_000_000);
    let c = client(&mut e);
    for i in 0..1_000_000u32 {
        let k = format!("key:{i}");
        let v = format!("value:{i}");
        e.execute(c, &[b"SET", k.as_bytes(), v.as_bytes()]).unwrap();
    }
    for i in 0..100_000u32 {
        let m = format!("m{i}");
        let s = format!("{i}");
        e.execute(c, &[b"ZADD", b"z", s.as_bytes(), m.as_bytes()]).unwrap();
    }
    let t = std::time::Instant::now();
    e.save().unwrap();
    let save = t.elapsed();
    let size = st.blob("snapshot").unwrap().len();
    let t = std::time::Instant::now();
    let (_e2, _, rep) = open(&st, Config::default(), 1_000_000);
    let load = t.elapsed();
    eprintln!("1M strings + 100k zset: save {save:?}, load {load:?}, {size} bytes, {} keys", rep.keys_loaded);
}

/// A reloaded engine (snapshot + journal) accounts its dataset: within 15%
/// of the saving engine's figure (tables and nodes are built at their final
/// size rather than grown), and back to the empty baseline after FLUSHALL,
/// so loading leaves no drift in the running counter.
#[test]
fn used_memory_survives_a_reload() {
    let used = |e: &mut Engine| -> u64 {
        let info = e.info(&[b"memory"]);
        info.lines().find_map(|l| l.strip_prefix("used_memory:")).unwrap().trim().parse().unwrap()
    };
    let st = Shared::default();
    let (mut e, _, _) = open(&st, config(true, "always"), 1_000_000);
    populate(&mut e, &[0, 3]);
    e.save().unwrap();
    let c = client(&mut e);
    resp(&mut e, c, "RPUSH after-save a b c");
    resp(&mut e, c, "ZADD zafter 1 x 2 y");
    e.flush_journal().unwrap();
    let before = used(&mut e);
    let (mut e2, _, rep) = open(&st, config(true, "always"), 1_000_000);
    assert!(rep.journal_records > 0);
    let after = used(&mut e2);
    assert!((after as f64 - before as f64).abs() < before as f64 * 0.15, "saved {before}, loaded {after}");
    let (mut empty, _, _) = open(&Shared::default(), config(false, "no"), 1_000_000);
    let c2 = client(&mut e2);
    resp(&mut e2, c2, "FLUSHALL");
    assert_eq!(used(&mut e2), used(&mut empty));
}

/// Keys evicted for maxmemory reach the journal as DEL, so a reload does
/// not bring them back.
#[test]
fn evictions_are_journaled() {
    let st = Shared::default();
    let mut cfg = config(true, "always");
    cfg.set_param("maxmemory-policy", "allkeys-lru").unwrap();
    let (mut e, clock, _) = open(&st, cfg, 1_000_000);
    let c = client(&mut e);
    let value = "v".repeat(1000);
    for i in 0..50 {
        resp(&mut e, c, &format!("SET k{i} {value}"));
        clock.advance_ms(10);
    }
    let info = e.info(&[b"memory"]);
    let used: u64 = info.lines().find_map(|l| l.strip_prefix("used_memory:")).unwrap().trim().parse().unwrap();
    assert_eq!(resp(&mut e, c, &format!("CONFIG SET maxmemory {}", used - 20_000)), "+OK\r\n");
    let left = resp(&mut e, c, "DBSIZE");
    assert_ne!(left, ":50\r\n", "CONFIG SET maxmemory below used evicts");
    e.flush_journal().unwrap();
    let (mut e2, _, _) = open(&st, config(true, "always"), 1_000_000);
    let c2 = client(&mut e2);
    assert_eq!(resp(&mut e2, c2, "DBSIZE"), left);
}

#[test]
fn typed_writes_journaled_as_their_command_replay_without_a_snapshot() {
    let st = Shared::default();
    let (mut e, clock, _) = open(&st, config(true, "always"), 1_000_000);
    let c = client(&mut e);
    resp(&mut e, c, "SET a 1");
    let epoch = e.persist_epoch();
    let journal0 = st.blob("journal").map_or(0, |j| j.len());
    // A relative expiry: replay runs the record at this instant.
    e.journal_typed_as(&[b"SET", b"typed", b"yes", b"PX", b"5000"]);
    let opts = redlet::cmd::strings::SetOptions { expiry: redlet::cmd::strings::SetExpiry::At(1_005_000), ..Default::default() };
    e.set(0, b"typed", b"yes", opts).unwrap();
    // A typed read journals nothing, and its pending argv does not leak to
    // a later write.
    e.journal_typed_as(&[b"LPUSH", b"never", b"x"]);
    assert_eq!(e.get(0, b"a").unwrap(), Some(b"1".to_vec()));
    e.journal_typed_as(&[b"INCRBY", b"n", b"5"]);
    assert_eq!(e.incr_by(0, b"n", 5).unwrap(), 5);
    // appendfsync always: the records are on storage when the calls return,
    // and no snapshot was written.
    assert_eq!(e.persist_epoch(), epoch);
    assert!(st.blob("journal").unwrap().len() > journal0);
    clock.advance_ms(1_000);
    let (mut e2, _, rep) = open(&st, config(true, "always"), 1_001_000);
    let c2 = client(&mut e2);
    assert_eq!(resp(&mut e2, c2, "MGET a typed never n"), "*4\r\n$1\r\n1\r\n$3\r\nyes\r\n$-1\r\n$1\r\n5\r\n");
    let pttl = resp(&mut e2, c2, "PTTL typed");
    assert_eq!(pttl, ":4000\r\n", "the replayed expiry counts from the write's instant");
    assert!(rep.journal_records >= 3);
}
