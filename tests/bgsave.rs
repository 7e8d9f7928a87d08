//! Background snapshots (issue 12): BGSAVE writes the dataset as it was
//! when it began, in steps between commands, byte for byte what a
//! foreground SAVE at that instant writes, whatever the commands in between
//! do to keys before and after the snapshot's cursor; a crash in the middle
//! loses no acknowledged write.

mod common;

use common::*;
use redlet::clock::{Clock, ManualClock};
use redlet::storage::{MemStorage, Storage};
use redlet::{ClientId, Config, Engine, Options};

/// Every committed blob of `st` (a crash drops what was staged).
fn committed(st: &mut dyn Storage) -> MemStorage {
    let mut out = MemStorage::new();
    for name in ["snapshot", "journal"] {
        if let Ok(Some(n)) = st.size(name) {
            let mut b = vec![0u8; n as usize];
            let mut at = 0;
            while at < b.len() {
                let k = st.read_at(name, at as u64, &mut b[at..]).unwrap();
                assert!(k > 0);
                at += k;
            }
            out.blobs.insert(name.to_string(), b);
        }
    }
    out
}

fn blob(e: &mut Engine, name: &str) -> Vec<u8> {
    let mut st = e.take_storage().unwrap();
    let b = committed(&mut *st).blobs.remove(name).unwrap_or_default();
    e.set_storage(st);
    b
}

fn fresh(config: Config) -> (Engine, ManualClock, ClientId) {
    let clock = ManualClock::new(1_000_000);
    let mut e = Engine::new(Options { config, clock: Box::new(clock.clone()), seed: 7 });
    e.set_storage(Box::new(MemStorage::new()));
    let c = client(&mut e);
    (e, clock, c)
}

/// A small deterministic generator.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

/// The dataset both engines are given before the snapshot.
fn populate(e: &mut Engine, c: ClientId, keys: u64) {
    for i in 0..keys {
        match i % 6 {
            0 => run(e, c, &format!("SET k{i} v{i}")),
            1 => run(e, c, &format!("HSET k{i} f1 a f2 b")),
            2 => run(e, c, &format!("RPUSH k{i} a b c")),
            3 => run(e, c, &format!("ZADD k{i} 1 a 2 b")),
            4 => run(e, c, &format!("SADD k{i} x y z")),
            _ => run(e, c, &format!("SET k{i} {i} PX {}", 5000 + i * 10)),
        };
    }
    run(e, c, "SELECT 3");
    for i in 0..keys / 4 {
        run(e, c, &format!("SET d3k{i} x"));
    }
    run(e, c, "SELECT 0");
}

/// One random write over keys the snapshot has or has not reached yet.
fn mutate(e: &mut Engine, c: ClientId, r: &mut Lcg, keys: u64, clock: &ManualClock) {
    let k = r.next(keys + 20);
    let line = match r.next(16) {
        0 => format!("SET k{k} new"),
        1 => format!("DEL k{k}"),
        2 => format!("EXPIRE k{k} 100"),
        3 => format!("PERSIST k{k}"),
        4 => format!("HSET k{k} f9 z"),
        5 => format!("LPUSH k{k} z"),
        6 => format!("RENAME k{k} k{}", r.next(keys)),
        7 => format!("MOVE k{k} 3"),
        8 => format!("APPEND k{k} more"),
        9 => format!("INCR k{k}"),
        10 => format!("SADD k{k} w"),
        11 => format!("GETDEL k{k}"),
        12 => "SWAPDB 0 3".to_string(),
        13 => {
            clock.advance_ms(700);
            format!("GET k{k}")
        }
        14 => format!("PFADD k{k} a b"),
        _ => format!("SET n{k} created"),
    };
    let _ = run(e, c, &line);
}

/// BGSAVE under random writes writes exactly what SAVE at its start does.
#[test]
fn background_snapshot_equals_a_foreground_save_at_its_start() {
    for seed in 1..=6u64 {
        let keys = 12_000;
        let (mut a, ca_clock, ca) = fresh(Config::default());
        let (mut b, _cb_clock, cb) = fresh(Config::default());
        populate(&mut a, ca, keys);
        populate(&mut b, cb, keys);
        assert_eq!(resp(&mut b, cb, "SAVE"), "+OK\r\n");
        assert_eq!(resp(&mut a, ca, "BGSAVE"), "+Background saving started\r\n");
        assert_eq!(resp(&mut a, ca, "BGSAVE"), "-ERR Background save already in progress\r\n");
        assert_eq!(resp(&mut a, ca, "SAVE"), "-ERR Background save already in progress\r\n");
        assert!(resp(&mut a, ca, "INFO persistence").contains("rdb_bgsave_in_progress:1\r\n"));
        let mut r = Lcg(seed);
        let mut steps = 0;
        while a.bgsave_in_progress() {
            for _ in 0..(1 + r.next(40)) {
                mutate(&mut a, ca, &mut r, keys, &ca_clock);
            }
            a.tick();
            steps += 1;
            assert!(steps < 100_000);
        }
        assert!(steps > 3, "the snapshot took {steps} steps");
        let info = resp(&mut a, ca, "INFO persistence");
        assert!(info.contains("rdb_bgsave_in_progress:0\r\n") && info.contains("rdb_last_bgsave_status:ok\r\n"), "{info}");
        let (sa, sb) = (blob(&mut a, "snapshot"), blob(&mut b, "snapshot"));
        assert!(!sb.is_empty());
        assert!(sa == sb, "seed {seed}: background snapshot differs from SAVE's ({} vs {} bytes)", sa.len(), sb.len());
    }
}

/// Big values of every type (each written over several steps): a list,
/// a table set, an intset, a sorted set, a hash, a stream with groups and a
/// big PEL, a string. `n` elements each.
fn populate_big(e: &mut Engine, c: ClientId, n: usize) {
    run(e, c, "CONFIG SET set-max-intset-entries 100000");
    for base in (0..n).step_by(500) {
        let to = (base + 500).min(n);
        let mut l = String::from("RPUSH bl");
        let mut s = String::from("SADD bs");
        let mut i = String::from("SADD bi");
        let mut z = String::from("ZADD bz");
        let mut h = String::from("HSET bh");
        for j in base..to {
            l.push_str(&format!(" element-{j:06}"));
            s.push_str(&format!(" member-{j}"));
            i.push_str(&format!(" {}", j * 7));
            z.push_str(&format!(" {} zm-{j}", (j * 37) % 1000));
            h.push_str(&format!(" field-{j} value-{j}"));
        }
        for line in [l, s, i, z, h] {
            run(e, c, &line);
        }
    }
    for j in 0..n {
        run(e, c, &format!("XADD bx {}-0 f {j} g x", j + 1));
    }
    run(e, c, "XGROUP CREATE bx g1 0");
    run(e, c, "XGROUP CREATE bx g2 0");
    run(e, c, &format!("XREADGROUP GROUP g1 alice COUNT {} STREAMS bx >", n / 2));
    run(e, c, &format!("XREADGROUP GROUP g1 bob COUNT {} STREAMS bx >", n / 4));
    for k in 0..50 {
        run(e, c, &format!("XGROUP CREATECONSUMER bx g2 c{k}"));
    }
    run(e, c, "SETRANGE bb 2000000 end");
    run(e, c, "SETRANGE bb 0 start");
}

const BIG: [&str; 7] = ["bl", "bs", "bi", "bz", "bh", "bx", "bb"];

/// One command on a big key: in-place writes, reads, deletes, renames,
/// type changes, expiry (set, cleared, reached), MOVE, SWAPDB, FLUSHDB.
fn mutate_big(e: &mut Engine, c: ClientId, r: &mut Lcg, clock: &ManualClock) {
    let k = BIG[r.next(BIG.len() as u64) as usize];
    let other = BIG[r.next(BIG.len() as u64) as usize];
    let n = r.next(1000);
    let line = match r.next(14) {
        0..=3 => match k {
            "bl" => ["LPUSH bl new", "RPOP bl", "LSET bl 100 changed", "LTRIM bl 1 -1"][r.next(4) as usize].to_string(),
            "bs" => [format!("SADD bs new{n}"), format!("SREM bs member-{n}"), "SPOP bs".to_string()][r.next(3) as usize].clone(),
            "bi" => [format!("SADD bi {}", n * 7 + 1), format!("SREM bi {}", n * 7)][r.next(2) as usize].clone(),
            "bz" => [format!("ZADD bz 3.5 new{n}"), format!("ZINCRBY bz 1 zm-{n}"), format!("ZREM bz zm-{n}")][r.next(3) as usize].clone(),
            "bh" => [format!("HSET bh new{n} v"), format!("HDEL bh field-{n}"), "HINCRBY bh counter 1".to_string()][r.next(3) as usize].clone(),
            "bx" => [format!("XADD bx {}-1 f v", 100_000 + n), format!("XDEL bx {}-0", n + 1), format!("XACK bx g1 {}-0", n + 1), "XTRIM bx MAXLEN ~ 500".to_string(), format!("XGROUP CREATECONSUMER bx g1 new{n}"), "XGROUP DESTROY bx g2".to_string()]
                [r.next(6) as usize]
                .clone(),
            _ => [format!("APPEND {k} tail"), format!("SETRANGE {k} {n} x"), format!("SETBIT {k} {n} 1")][r.next(3) as usize].clone(),
        },
        4 => match k {
            "bl" => "LRANGE bl 0 2".to_string(),
            "bs" | "bi" => format!("SISMEMBER {k} x"),
            "bz" => "ZSCORE bz zm-1".to_string(),
            "bh" => "HGET bh field-1".to_string(),
            "bx" => "XLEN bx".to_string(),
            _ => format!("GETRANGE {k} 0 3"),
        },
        5 => format!("DEL {k}"),
        6 => format!("RENAME {k} {k}-{n}"),
        7 => format!("RENAME {other} {k}"),
        8 => format!("SET {k} now-a-string"),
        9 => format!("EXPIRE {k} 100"),
        10 => format!("PERSIST {k}"),
        11 => format!("MOVE {k} 3"),
        12 => {
            run(e, c, &format!("PEXPIRE {k} 10"));
            clock.advance_ms(20);
            format!("EXISTS {k}")
        }
        _ => match r.next(8) {
            0 => "SWAPDB 0 3".to_string(),
            1 if r.next(4) == 0 => "FLUSHDB".to_string(),
            _ => format!("COPY {k} {k}-copy"),
        },
    };
    let _ = run(e, c, &line);
}

/// BGSAVE with big values written over several steps, under commands on
/// those very keys before, during and after their writing: the bytes of a
/// foreground SAVE at its start, and loading them gives that dataset.
#[test]
fn big_values_written_over_several_steps_under_writes_to_them() {
    let n = 20_000;
    let (mut b, _cb_clock, cb) = fresh(Config::default());
    populate(&mut b, cb, 600);
    populate_big(&mut b, cb, n);
    assert_eq!(resp(&mut b, cb, "SAVE"), "+OK\r\n");
    let want = blob(&mut b, "snapshot");
    let want_dump = dump(&mut b);
    for seed in 1..=24u64 {
        let (mut a, ca_clock, ca) = fresh(Config::default());
        populate(&mut a, ca, 600);
        populate_big(&mut a, ca, n);
        assert_eq!(resp(&mut a, ca, "BGSAVE"), "+Background saving started\r\n");
        let mut r = Lcg(seed * 1009);
        let mut steps = 0;
        while a.bgsave_in_progress() {
            // Most steps see a command or two on big keys; some see none,
            // so each value is also written undisturbed for a while.
            for _ in 0..r.next(3) {
                mutate_big(&mut a, ca, &mut r, &ca_clock);
            }
            for _ in 0..r.next(4) {
                mutate(&mut a, ca, &mut r, 600, &ca_clock);
            }
            a.tick();
            steps += 1;
            assert!(steps < 100_000);
        }
        assert!(steps > 20, "seed {seed}: the snapshot took {steps} steps");
        let info = resp(&mut a, ca, "INFO persistence");
        assert!(info.contains("rdb_last_bgsave_status:ok\r\n"), "seed {seed}: {info}");
        let got = blob(&mut a, "snapshot");
        assert!(got == want, "seed {seed}: background snapshot differs from SAVE's ({} vs {} bytes)", got.len(), want.len());
        // Loaded into a fresh engine: the dataset at the BGSAVE instant.
        let mut st = a.take_storage().unwrap();
        let saved = committed(&mut *st);
        let clock2 = ManualClock::new(1_000_000);
        let mut l = Engine::new(Options { config: Config::default(), clock: Box::new(clock2), seed: 3 });
        l.set_storage(Box::new(saved));
        l.load().unwrap();
        assert!(dump(&mut l) == want_dump, "seed {seed}: the loaded dataset differs");
    }
}

/// Builds one big value `k` of `kind` (over 128 KiB of budget, so several steps),
/// with a TTL if asked, and a small key `o` besides.
fn populate_one(e: &mut Engine, c: ClientId, kind: &str, k: &str, ttl: bool) {
    // Enough for two or more steps (BGSAVE_STEP is 64 KiB of budget).
    let n = match kind {
        "xnodes" => 3_000,
        "xpel" | "xcons" | "xgroups" => 5_000,
        _ => 12_000,
    };
    run(e, c, "CONFIG SET set-max-intset-entries 100000");
    run(e, c, "SET o other");
    match kind {
        "xnodes" | "xpel" => {
            for j in 0..n {
                run(e, c, &format!("XADD {k} {}-0 f {j}", j + 1));
            }
            if kind == "xpel" {
                run(e, c, &format!("XGROUP CREATE {k} g1 0"));
                run(e, c, &format!("XREADGROUP GROUP g1 alice COUNT {n} STREAMS {k} >"));
            }
        }
        "xcons" | "xgroups" => {
            run(e, c, &format!("XADD {k} 1-0 f v"));
            run(e, c, &format!("XGROUP CREATE {k} g1 0"));
            for j in 0..n {
                if kind == "xcons" {
                    run(e, c, &format!("XGROUP CREATECONSUMER {k} g1 consumer-{j:05}"));
                } else {
                    run(e, c, &format!("XGROUP CREATE {k} group-{j:05} 0"));
                }
            }
        }
        "string" => {
            run(e, c, &format!("SETRANGE {k} 400000 end"));
        }
        _ => {
            for base in (0..n).step_by(500) {
                let mut line = String::from(match kind {
                    "list" => "RPUSH",
                    "set" | "intset" => "SADD",
                    "zset" => "ZADD",
                    _ => "HSET",
                });
                line.push_str(&format!(" {k}"));
                for j in base..base + 500 {
                    line.push_str(&match kind {
                        "list" => format!(" element-{j:06}"),
                        "set" => format!(" member-{j}"),
                        "intset" => format!(" {}", j * 7),
                        "zset" => format!(" {} zm-{j}", (j * 37) % 1000),
                        _ => format!(" field-{j} value-{j}"),
                    });
                }
                run(e, c, &line);
            }
        }
    }
    if ttl {
        run(e, c, &format!("PEXPIREAT {k} 5000000"));
    }
}

/// A command that changes `k` of `kind` in place.
fn write_in_place(kind: &str, k: &str) -> String {
    match kind {
        "list" => format!("LPUSH {k} new"),
        "set" => format!("SADD {k} new"),
        "intset" => format!("SREM {k} 70"),
        "zset" => format!("ZINCRBY {k} 5 zm-3"),
        "hash" => format!("HSET {k} field-1 changed"),
        "xnodes" => format!("XDEL {k} 5-0"),
        "xpel" => format!("XACK {k} g1 7-0"),
        "xcons" => format!("XGROUP DELCONSUMER {k} g1 consumer-00009"),
        "xgroups" => format!("XGROUP DESTROY {k} group-00011"),
        _ => format!("APPEND {k} more"),
    }
}

/// Every command on the very key being written, after it was partly
/// written (0, 1 or 2 steps after BGSAVE's first): in-place writes,
/// reads, DEL, RENAME from and onto it, a type change, expiry set, cleared
/// and reached, MOVE, SWAPDB, FLUSHDB, FLUSHALL. The snapshot is SAVE's at
/// the BGSAVE instant, byte for byte.
#[test]
fn every_command_on_the_key_being_written() {
    let kinds = ["list", "set", "intset", "zset", "hash", "xnodes", "xpel", "xcons", "xgroups", "string"];
    for kind in kinds {
        // SAVE's bytes without and with a TTL on the big key.
        let want: Vec<Vec<u8>> = [false, true]
            .into_iter()
            .map(|ttl| {
                let (mut b, _, cb) = fresh(Config::default());
                populate_one(&mut b, cb, kind, "big", ttl);
                assert_eq!(resp(&mut b, cb, "SAVE"), "+OK\r\n");
                blob(&mut b, "snapshot")
            })
            .collect();
        {
            let ops: Vec<String> = vec![
                write_in_place(kind, "big"),
                "TYPE big".into(),
                "OBJECT ENCODING big".into(),
                "DEL big".into(),
                "RENAME big moved".into(),
                "RENAME o big".into(),
                "SET big now-a-string".into(),
                "EXPIRE big 100".into(),
                "PERSIST big".into(),
                "MOVE big 3".into(),
                "EXPIRED".into(),
                "SWAPDB 0 3".into(),
                "FLUSHDB".into(),
                "FLUSHALL".into(),
                "COPY big copied".into(),
            ];
            for op in &ops {
                for extra in 0..3 {
                    let ttl = extra == 1;
                    let want = &want[ttl as usize];
                    let (mut a, clock, ca) = fresh(Config::default());
                    populate_one(&mut a, ca, kind, "big", ttl);
                    assert_eq!(resp(&mut a, ca, "BGSAVE"), "+Background saving started\r\n");
                    for _ in 0..extra {
                        a.tick();
                    }
                    if op == "EXPIRED" {
                        run(&mut a, ca, "PEXPIRE big 10");
                        clock.advance_ms(20);
                        assert_eq!(resp(&mut a, ca, "EXISTS big"), ":0\r\n");
                    } else {
                        let _ = run(&mut a, ca, op);
                    }
                    // The value changes again once finished or moved.
                    let _ = run(&mut a, ca, &write_in_place(kind, "big"));
                    let mut steps = 0;
                    while a.bgsave_in_progress() {
                        a.tick();
                        steps += 1;
                        assert!(steps < 10_000);
                    }
                    let info = resp(&mut a, ca, "INFO persistence");
                    assert!(info.contains("rdb_last_bgsave_status:ok\r\n"), "{kind} {op}: {info}");
                    let got = blob(&mut a, "snapshot");
                    assert!(got == *want, "{kind} (ttl {ttl}) {op} after {extra} more steps: differs from SAVE ({} vs {} bytes)", got.len(), want.len());
                }
            }
        }
    }
}

/// A crash in the middle of a background save (what was staged is lost),
/// or right after it: the previous snapshot and the journal give every
/// acknowledged write.
#[test]
fn a_crash_during_a_background_save_loses_no_acknowledged_write() {
    for crash_at in [0usize, 3, 9, 10_000] {
        let mut cfg = Config::default();
        cfg.set_param("appendonly", "yes").unwrap();
        cfg.set_param("appendfsync", "always").unwrap();
        let (mut a, clock, c) = fresh(cfg.clone());
        populate(&mut a, c, 2000);
        assert_eq!(resp(&mut a, c, "SAVE"), "+OK\r\n");
        for i in 0..300 {
            run(&mut a, c, &format!("SET before{i} x"));
        }
        a.flush_journal().unwrap();
        assert_eq!(resp(&mut a, c, "BGSAVE"), "+Background saving started\r\n");
        let mut r = Lcg(crash_at as u64 + 11);
        let mut steps = 0;
        while a.bgsave_in_progress() && steps < crash_at {
            for _ in 0..20 {
                mutate(&mut a, c, &mut r, 2000, &clock);
            }
            a.flush_journal().unwrap();
            a.tick();
            steps += 1;
        }
        // A few more writes after the snapshot finished (or not).
        for i in 0..50 {
            run(&mut a, c, &format!("SET after{i} y"));
        }
        a.flush_journal().unwrap();
        let expected = dump(&mut a);
        let mut st = a.take_storage().unwrap();
        let saved = committed(&mut *st);
        let clock2 = ManualClock::new(clock.now_micros() / 1000);
        let mut b = Engine::new(Options { config: cfg.clone(), clock: Box::new(clock2), seed: 9 });
        b.set_storage(Box::new(saved));
        b.load().unwrap();
        assert_eq!(dump(&mut b), expected, "crash after {crash_at} steps");
    }
}

/// Every key of every db with its type, value and TTL, sorted.
fn dump(e: &mut Engine) -> Vec<String> {
    let c = client(e);
    let mut out = Vec::new();
    for db in 0..16 {
        run(e, c, &format!("SELECT {db}"));
        let keys = run(e, c, "KEYS *");
        let text = String::from_utf8_lossy(&keys.to_resp(redlet::Protocol::Resp2)).into_owned();
        let mut names: Vec<String> = text.split("\r\n").skip(1).step_by(2).filter(|s| !s.is_empty()).map(String::from).collect();
        names.sort();
        for k in names {
            let t = resp(e, c, &format!("TYPE {k}"));
            let v = match t.as_str() {
                "+string\r\n" => resp(e, c, &format!("GET {k}")),
                "+hash\r\n" => resp(e, c, &format!("HGETALL {k}")),
                "+list\r\n" => resp(e, c, &format!("LRANGE {k} 0 -1")),
                "+zset\r\n" => resp(e, c, &format!("ZRANGE {k} 0 -1 WITHSCORES")),
                "+set\r\n" => resp(e, c, &format!("SORT {k} ALPHA")),
                "+stream\r\n" => resp(e, c, &format!("XINFO STREAM {k} FULL")),
                _ => String::new(),
            };
            let ttl = resp(e, c, &format!("PEXPIRETIME {k}"));
            out.push(format!("{db} {k} {t} {v} {ttl}"));
        }
    }
    out
}

/// The time of each background-save step over bench/bgsave.sh's dataset
/// (1M 32-byte strings, a 300k-member sorted set, 100k small hashes, a
/// 200k-entry stream), each part alone and then all of it, in memory
/// storage: the CPU part of a step, which bounds a client's wait during
/// BGSAVE (`cargo test --release --test bgsave timing -- --ignored
/// --nocapture`).
#[test]
#[ignore]
fn timing_background_steps() {
    let parts: [(&str, fn(&mut Engine, ClientId)); 4] = [
        ("1M strings", |e, c| {
            for i in 0..1_000_000u32 {
                e.execute(c, &[b"SET", format!("key:{i:08}").as_bytes(), format!("{:032x}", u128::from(i) * 0x9e37_79b9_7f4a_7c15).as_bytes()]).unwrap();
            }
        }),
        ("300k zset", |e, c| {
            for i in 0..300_000u32 {
                e.execute(c, &[b"ZADD", b"zset", format!("{}", (i * 7919) % 1_000_000).as_bytes(), format!("m:{i}").as_bytes()]).unwrap();
            }
        }),
        ("100k hashes", |e, c| {
            for h in 0..100_000u32 {
                e.execute(c, &[b"HSET", format!("hash:{h}").as_bytes(), b"a", format!("{h}").as_bytes(), b"b", b"xxxxxxxxxx"]).unwrap();
            }
        }),
        ("200k stream", |e, c| {
            for i in 0..200_000u32 {
                e.execute(c, &[b"XADD", b"stream", format!("{}-0", i + 1).as_bytes(), b"f", format!("{i}").as_bytes()]).unwrap();
            }
        }),
    ];
    let (mut all, _, ca) = fresh(Config::default());
    for (name, fill) in parts {
        let (mut e, _, c) = fresh(Config::default());
        fill(&mut e, c);
        fill(&mut all, ca);
        time_steps(name, &mut e);
    }
    time_steps("all", &mut all);
}

/// Storage that keeps nothing (a memory blob's growth would be timed too).
struct Discard;
impl Storage for Discard {
    fn size(&mut self, _: &str) -> Result<Option<u64>, redlet::storage::StorageError> {
        Ok(None)
    }
    fn read_at(&mut self, _: &str, _: u64, _: &mut [u8]) -> Result<usize, redlet::storage::StorageError> {
        Ok(0)
    }
    fn begin(&mut self, _: &str) -> Result<(), redlet::storage::StorageError> {
        Ok(())
    }
    fn write(&mut self, _: &str, _: &[u8]) -> Result<(), redlet::storage::StorageError> {
        Ok(())
    }
    fn commit(&mut self, _: &str) -> Result<(), redlet::storage::StorageError> {
        Ok(())
    }
    fn abort(&mut self, _: &str) {}
    fn append(&mut self, _: &str, _: &[u8]) -> Result<(), redlet::storage::StorageError> {
        Ok(())
    }
    fn sync(&mut self, _: &str) -> Result<(), redlet::storage::StorageError> {
        Ok(())
    }
}

fn time_steps(name: &str, e: &mut Engine) {
    e.set_storage(Box::new(Discard));
    let t = std::time::Instant::now();
    e.bgsave().unwrap();
    let mut times = vec![t.elapsed()];
    while e.bgsave_in_progress() {
        let t = std::time::Instant::now();
        e.background_step();
        times.push(t.elapsed());
    }
    let total: std::time::Duration = times.iter().sum();
    let mut worst: Vec<(std::time::Duration, usize)> = times.iter().copied().zip(0..).collect();
    worst.sort();
    times.sort();
    let pct = |p: usize| times[(times.len() - 1) * p / 100];
    eprintln!("{name}: {} steps, {total:?} in all; median {:?}, p99 {:?}, max {:?}", times.len(), pct(50), pct(99), pct(100));
    eprintln!("  slowest (time, step): {:?}", &worst[worst.len().saturating_sub(4)..]);
}
