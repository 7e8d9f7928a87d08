//! The export path against a real Redis: a dataset with every type (streams
//! with consumer groups, pending entries, deleted entries, empty streams;
//! TTLs; several databases) is built in redlet, exported as RESP commands,
//! loaded with `redis-cli --pipe` into Debian's redis-server (port 7452),
//! and the whole keyspace compared, value by value, with XINFO STREAM FULL.
//! Skipped (with a message) when redis-server or redis-cli is missing.

mod common;
use common::*;

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{SystemTime, UNIX_EPOCH};

use redlet::clock::ManualClock;
use redlet::{ClientInfo, Config, Engine, Options, Protocol};

/// A loopback port free right now, for this test's own redis-server.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("a free loopback port")
}

/// Starts redis-server 7.0 on a free port. The round trip is the point of
/// these tests, so a missing redis-server or redis-cli fails them (the test
/// command installs both); it never passes silently.
fn start_redis() -> (RedisServer, u16) {
    assert!(Command::new("redis-cli").arg("--version").output().is_ok(), "redis-cli is missing: run scripts/test.sh, which installs it");
    for _ in 0..5 {
        let port = free_port();
        if let Some(r) = RedisServer::start(port) {
            return (r, port);
        }
    }
    panic!("could not start redis-server (missing? run scripts/test.sh, which installs it)");
}

fn now_ms() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_millis() as u64
}

/// Runs `line` (space-separated words) and returns the RESP2 reply parsed.
fn q(e: &mut Engine, c: redlet::ClientId, args: &[&[u8]]) -> Val {
    let r = e.execute(c, args).expect("blocked");
    read_val(&mut &r.to_resp(Protocol::Resp2)[..]).unwrap().unwrap()
}

/// Runs one command line through `x`, which must not fail.
fn run(x: &mut dyn FnMut(&[&[u8]]) -> Val, _c: (), line: &str) -> Val {
    let words: Vec<&[u8]> = line.split(' ').filter(|w| !w.is_empty()).map(str::as_bytes).collect();
    let v = x(&words);
    assert!(!matches!(v, Val::Err(_)), "{line}: {v:?}");
    v
}

/// Every type and the stream corner cases, through `e` (an engine or a
/// connection).
fn build(e: &mut dyn FnMut(&[&[u8]]) -> Val) {
    let c = ();
    let q = |e: &mut dyn FnMut(&[&[u8]]) -> Val, _c: (), a: &[&[u8]]| e(a);
    run(e, c, "SET str hello");
    run(e, c, "SET int 12345");
    run(e, c, "SET neg -7");
    q(e, c, &[b"SET", b"bin\x00key", b"\x00\x01\xff\r\n$*"]);
    q(e, c, &[b"SET", b"big", &vec![b'x'; 100_000]]);
    run(e, c, "SET ttl1 v PX 600000");
    run(e, c, "SET gone v PX 50");
    run(e, c, "PFADD hll a b c d e f g");
    let many: String = (0..5000).map(|i| format!(" m{i}")).collect();
    run(e, c, &format!("PFADD hlldense{many}"));
    run(e, c, "RPUSH list a b c 1 2 3");
    let elems: String = (0..1000).map(|i| format!(" e{i}")).collect();
    run(e, c, &format!("RPUSH biglist{elems}"));
    run(e, c, "EXPIRE biglist 1000");
    run(e, c, "HSET hash f1 v1 f2 v2 n 5");
    let fields: String = (0..500).map(|i| format!(" f{i} v{i}")).collect();
    run(e, c, &format!("HSET bighash{fields}"));
    run(e, c, "SADD intset 1 2 3 -5 100000000000");
    run(e, c, "SADD set a b c");
    let members: String = (0..300).map(|i| format!(" s{i}")).collect();
    run(e, c, &format!("SADD bigset{members}"));
    run(e, c, "ZADD zset 1 a 2.5 b -3 c 0.1 d 1e300 e inf f -inf g 3.141592653589793 pi");
    let zm: String = (0..300).map(|i| format!(" {}.{} z{i}", i / 7, i)).collect();
    run(e, c, &format!("ZADD bigzset{zm}"));
    // Streams.
    run(e, c, "XADD s1 1-1 a 1 b 2");
    run(e, c, "XADD s1 1-2 a 3 b 4");
    run(e, c, "XADD s1 5-0 other x");
    for i in 0..200 {
        run(e, c, &format!("XADD sbig {}-0 f {i}", 10 + i));
    }
    run(e, c, "XDEL sbig 15-0 16-0");
    run(e, c, "XTRIM sbig MAXLEN 150");
    run(e, c, "XGROUP CREATE sbig g1 0");
    run(e, c, "XGROUP CREATE sbig g2 $");
    run(e, c, "XGROUP CREATE sbig g3 100-0 ENTRIESREAD 20");
    run(e, c, "XREADGROUP GROUP g1 alice COUNT 5 STREAMS sbig >");
    run(e, c, "XREADGROUP GROUP g1 bob COUNT 3 STREAMS sbig >");
    run(e, c, "XREADGROUP GROUP g1 alice COUNT 2 STREAMS sbig 0");
    run(e, c, "XGROUP CREATECONSUMER sbig g1 carol");
    run(e, c, "XGROUP CREATECONSUMER sbig g2 dave");
    run(e, c, "XACK sbig g1 61-0");
    // A pending entry whose stream entry is deleted.
    run(e, c, "XDEL sbig 62-0");
    run(e, c, "XCLAIM sbig g1 bob 0 63-0");
    run(e, c, "XGROUP CREATE empty g 0 MKSTREAM");
    run(e, c, "XADD emptied 7-7 f v");
    run(e, c, "XDEL emptied 7-7");
    run(e, c, "XADD withid 3-3 f v");
    run(e, c, "XSETID withid 100-5 ENTRIESADDED 42 MAXDELETEDID 50-0");
    run(e, c, "XADD sttl * f v");
    run(e, c, "PEXPIRE sttl 900000");
    run(e, c, "SELECT 3");
    run(e, c, "SET db3 three");
    run(e, c, "HSET db3h a b");
    run(e, c, "SELECT 0");
}

#[test]
fn export_round_trip_into_redis() {
    let (redis, redis_port) = start_redis();
    let clock = ManualClock::new(now_ms());
    let mut e = Engine::new(Options { config: Config::default(), clock: Box::new(clock.clone()), seed: 7 });
    let c = e.open_client(ClientInfo::default());
    build(&mut |a| q(&mut e, c, a));
    // `gone` expires before the export and must not be written.
    clock.advance_ms(100);

    let mut out = Vec::new();
    let mut chunks = 0;
    let cmds = e.export_resp(&mut |b: &[u8]| {
        assert!(b.len() <= redlet::export::CHUNK + 200_000, "chunk of {} bytes", b.len());
        chunks += 1;
        out.extend_from_slice(b);
    });
    assert!(cmds > 50 && chunks > 1, "{cmds} commands in {chunks} chunks");
    let text = String::from_utf8_lossy(&out);
    assert!(!text.contains("gone"));
    // Containers are split into bounded commands.
    assert_eq!(text.matches("$5\r\nRPUSH\r\n$7\r\nbiglist").count(), 1000_usize.div_ceil(64));

    pipe_into(redis_port, &out, Some(cmds));

    let mine = dump(&mut |a| q(&mut e, c, a), 16);
    let mut rc = redis.client();
    let theirs = dump(&mut |a| rc.call(a), 16);
    assert_eq!(mine.len(), theirs.len(), "key counts");
    assert_eq!(mine.len(), 25, "keys exported");
    for (m, t) in mine.iter().zip(&theirs) {
        assert_eq!(m, t, "key {:?}", String::from_utf8_lossy(&m.1));
    }
    // The HyperLogLogs are valid for Redis.
    assert_eq!(rc.cmd("PFCOUNT hll"), Val::Int(7));
    assert!(matches!(rc.cmd("PFCOUNT hlldense"), Val::Int(n) if (4900..5100).contains(&n)));
    assert!(mine.iter().any(|k| k.1 == b"db3"), "db 3 exported");
    assert!(mine.iter().any(|k| k.1 == b"empty") && mine.iter().any(|k| k.1 == b"emptied"));
}

/// `redis-cli -p port --pipe < data`; asserts no error (and `replies`).
fn pipe_into(port: u16, data: &[u8], replies: Option<u64>) {
    let mut child = Command::new("redis-cli")
        .args(["-p", &port.to_string(), "--pipe"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("redis-cli");
    child.stdin.take().unwrap().write_all(data).unwrap();
    let res = child.wait_with_output().unwrap();
    let log = String::from_utf8_lossy(&res.stdout);
    assert!(res.status.success() && log.contains("errors: 0"), "redis-cli --pipe: {log}{}", String::from_utf8_lossy(&res.stderr));
    if let Some(n) = replies {
        assert!(log.contains(&format!("replies: {n}")), "{log}");
    }
}

/// The command-line path: `redlet serve --dir`, SHUTDOWN (saves), `redlet
/// export --dir D --format resp`, `redis-cli --pipe`, and the restarted
/// redlet compared with Redis.
#[test]
fn export_command_line_into_redis() {
    let (redis, redis_port) = start_redis();
    let dir = tmpdir("export");
    let mut srv = Redlet::start(&dir, &["--appendonly", "yes"]).unwrap_or_else(|(c, l)| panic!("{c:?} {}", l.join("\n")));
    let mut c = srv.client();
    build(&mut |a| c.call(a));
    // Half of it goes to the snapshot, the rest only to the journal.
    assert_eq!(c.cmd("SAVE"), Val::Status(b"OK".to_vec()));
    c.cmd("SET after-save 1");
    c.cmd("DEL str");
    srv.kill();
    let out = Command::new(BIN).args(["export", "--dir"]).arg(&dir).args(["--format", "resp"]).output().unwrap();
    assert!(out.status.success(), "redlet export: {}", String::from_utf8_lossy(&out.stderr));
    pipe_into(redis_port, &out.stdout, None);
    let srv = Redlet::start(&dir, &["--appendonly", "yes"]).unwrap_or_else(|(c, l)| panic!("{c:?} {}", l.join("\n")));
    let mut c = srv.client();
    let mine = dump(&mut |a| c.call(a), 16);
    let mut rc = redis.client();
    let theirs = dump(&mut |a| rc.call(a), 16);
    assert!(mine.iter().any(|k| k.1 == b"after-save") && !mine.iter().any(|k| k.1 == b"str"));
    // `gone` (50 ms TTL) may or may not have expired before the export.
    let theirs: Vec<_> = theirs.into_iter().filter(|k| k.1 != b"gone").collect();
    let mine: Vec<_> = mine.into_iter().filter(|k| k.1 != b"gone").collect();
    assert_eq!(mine.len(), theirs.len(), "key counts");
    for (m, t) in mine.iter().zip(&theirs) {
        assert_eq!(m, t, "key {:?}", String::from_utf8_lossy(&m.1));
    }
    let bad = Command::new(BIN).args(["export", "--dir"]).arg(dir.join("nope")).output().unwrap();
    assert!(!bad.status.success());
    drop(srv);
    let _ = std::fs::remove_dir_all(&dir);
}

/// A function library, so RDB files carry the FUNCTION2 opcode.
const LIB: &[u8] = b"#!lua name=rdblib\nredis.register_function('rdbfn', function(keys, args) return 'hi' end)";

/// Keys of a `dump` without `gone` (its 50 ms TTL may or may not have run
/// out on either side).
fn live(d: Vec<(usize, Vec<u8>, Vec<Val>)>) -> Vec<(usize, Vec<u8>, Vec<Val>)> {
    d.into_iter().filter(|k| k.1 != b"gone").collect()
}

/// `redlet serve --dir`, SAVE, `redlet export --format rdb`, and
/// redis-server started on that file as its dump.rdb: same keyspace (every
/// type, TTLs, databases, stream groups with their times) and functions.
#[test]
fn export_rdb_command_line_into_redis() {
    let dir = tmpdir("export-rdb");
    let mut srv = Redlet::start(&dir, &[]).unwrap_or_else(|(c, l)| panic!("{c:?} {}", l.join("\n")));
    let mut c = srv.client();
    build(&mut |a| c.call(a));
    c.call(&[b"FUNCTION", b"LOAD", LIB]);
    assert_eq!(c.cmd("SAVE"), Val::Status(b"OK".to_vec()));
    let mine = live(dump(&mut |a| c.call(a), 16));
    srv.kill();
    let out = Command::new(BIN).args(["export", "--dir"]).arg(&dir).args(["--format", "rdb"]).output().unwrap();
    assert!(out.status.success(), "redlet export: {}", String::from_utf8_lossy(&out.stderr));
    assert!(out.stdout.starts_with(b"REDIS0010"));
    let rdir = tmpdir("export-rdb-redis");
    std::fs::write(rdir.join("dump.rdb"), &out.stdout).unwrap();
    let redis = (0..5).find_map(|_| RedisServer::start_in(free_port(), rdir.clone())).expect("redis-server loads the file");
    let mut rc = redis.client();
    let theirs = live(dump(&mut |a| rc.call(a), 16));
    assert_eq!(mine.len(), theirs.len(), "key counts");
    assert!(mine.len() >= 24);
    for (m, t) in mine.iter().zip(&theirs) {
        assert_eq!(m, t, "key {:?}", String::from_utf8_lossy(&m.1));
    }
    assert_eq!(rc.call(&[b"FCALL", b"rdbfn", b"0"]), Val::Bulk(Some(b"hi".to_vec())));
    let _ = std::fs::remove_dir_all(&dir);
}

/// redis-server SAVEs a dump.rdb of every type; `redlet import --rdb`
/// loads it into a data folder that `redlet serve` then holds with the same
/// keyspace and functions. A corrupt or truncated file is refused and the
/// folder stays empty.
#[test]
fn import_redis_rdb_command_line() {
    let (redis, _port) = start_redis();
    let mut rc = redis.client();
    build(&mut |a| rc.call(a));
    rc.call(&[b"FUNCTION", b"LOAD", LIB]);
    assert_eq!(rc.cmd("SAVE"), Val::Status(b"OK".to_vec()));
    let file = redis.dir().join("dump.rdb");
    let dir = tmpdir("import-rdb");
    let out = Command::new(BIN).args(["import", "--rdb"]).arg(&file).arg("--dir").arg(&dir).output().unwrap();
    assert!(out.status.success(), "redlet import: {}", String::from_utf8_lossy(&out.stderr));
    let theirs = live(dump(&mut |a| rc.call(a), 16));
    let srv = Redlet::start(&dir, &[]).unwrap_or_else(|(c, l)| panic!("{c:?} {}", l.join("\n")));
    let mut c = srv.client();
    let mine = live(dump(&mut |a| c.call(a), 16));
    assert_eq!(mine.len(), theirs.len(), "key counts");
    for (m, t) in mine.iter().zip(&theirs) {
        assert_eq!(m, t, "key {:?}", String::from_utf8_lossy(&m.1));
    }
    assert_eq!(c.call(&[b"FCALL", b"rdbfn", b"0"]), Val::Bulk(Some(b"hi".to_vec())));
    // A second import into the same folder is refused.
    let again = Command::new(BIN).args(["import", "--rdb"]).arg(&file).arg("--dir").arg(&dir).output().unwrap();
    assert!(!again.status.success());
    drop(srv);
    // Corrupt (one byte flipped: checksum) and truncated files.
    let data = std::fs::read(&file).unwrap();
    let mut flipped = data.clone();
    let mid = flipped.len() / 2;
    flipped[mid] ^= 0x20;
    for (tag, bytes) in [("flipped", flipped), ("truncated", data[..data.len() - 30].to_vec()), ("empty", Vec::new())] {
        let bad = redis.dir().join(format!("{tag}.rdb"));
        std::fs::write(&bad, &bytes).unwrap();
        let bdir = tmpdir("import-bad");
        let out = Command::new(BIN).args(["import", "--rdb"]).arg(&bad).arg("--dir").arg(&bdir).output().unwrap();
        assert!(!out.status.success(), "{tag}: accepted");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("not a valid RDB file"), "{tag}: {err}");
        assert_eq!(std::fs::read_dir(&bdir).unwrap().count(), 0, "{tag}: the folder was touched");
        let _ = std::fs::remove_dir_all(&bdir);
    }
    let _ = std::fs::remove_dir_all(&dir);
}
