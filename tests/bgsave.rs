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
                _ => String::new(),
            };
            let ttl = resp(e, c, &format!("PEXPIRETIME {k}"));
            out.push(format!("{db} {k} {t} {v} {ttl}"));
        }
    }
    out
}
