//! End-to-end tests of `redlet serve` over TCP: the built binary is started
//! on a free port (`--port 0`; the port is read from its startup log) and
//! spoken to with plain `std::net::TcpStream`s, expecting Redis 7.0's exact
//! bytes. Tests that need commands other helpers implement (HELLO, QUIT,
//! BLPOP/LPUSH) detect an "unknown command" reply and skip their assertions
//! until those commands exist.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_redlet");
const IO_TIMEOUT: Duration = Duration::from_secs(10);

/// A running server, killed on drop.
struct Server {
    child: Child,
    port: u16,
    dir: std::path::PathBuf,
}

static DIRS: AtomicUsize = AtomicUsize::new(0);

impl Server {
    fn start(extra: &[&str]) -> Server {
        let dir = std::env::temp_dir().join(format!("redlet-host-test-{}-{}", std::process::id(), DIRS.fetch_add(1, Ordering::Relaxed)));
        let mut child = Command::new(BIN)
            .args(["serve", "--port", "0", "--dir"])
            .arg(&dir)
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("spawn redlet");
        let out = child.stdout.take().expect("stdout");
        let mut lines = BufReader::new(out).lines();
        let mut port = 0;
        for line in lines.by_ref() {
            let line = line.expect("read log");
            if let Some(p) = line.split("port=").nth(1) {
                port = p.trim_end_matches('.').parse().expect("port in log");
            }
            if line.contains("Ready to accept connections tcp") {
                break;
            }
        }
        assert!(port != 0, "server did not report its port");
        // Keep draining the log so the server never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        Server { child, port, dir }
    }

    fn connect(&self) -> TcpStream {
        let s = TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        s.set_read_timeout(Some(IO_TIMEOUT)).unwrap();
        s.set_nodelay(true).unwrap();
        s
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn send(s: &mut TcpStream, data: &[u8]) {
    s.write_all(data).expect("write");
}

/// Reads exactly `n` bytes.
fn read_n(s: &mut TcpStream, n: usize) -> Vec<u8> {
    let mut buf = vec![0u8; n];
    s.read_exact(&mut buf).unwrap_or_else(|e| panic!("reading {n} bytes: {e}"));
    buf
}

/// Reads as many bytes as `want` has and compares.
fn expect(s: &mut TcpStream, want: &[u8]) {
    let got = read_n(s, want.len());
    assert_eq!(String::from_utf8_lossy(&got), String::from_utf8_lossy(want));
}

/// Reads one RESP reply (any type, nested), returned raw.
fn read_reply(s: &mut TcpStream) -> Vec<u8> {
    let mut out = Vec::new();
    read_reply_into(s, &mut out);
    out
}

fn read_line(s: &mut TcpStream, out: &mut Vec<u8>) -> Vec<u8> {
    let start = out.len();
    loop {
        let mut b = [0u8; 1];
        s.read_exact(&mut b).expect("reply line");
        out.push(b[0]);
        if out.len() >= start + 2 && out[out.len() - 2..] == *b"\r\n" {
            return out[start..out.len() - 2].to_vec();
        }
    }
}

fn read_reply_into(s: &mut TcpStream, out: &mut Vec<u8>) {
    let line = read_line(s, out);
    let n: i64 = std::str::from_utf8(&line[1..]).ok().and_then(|t| t.parse().ok()).unwrap_or(0);
    match line[0] {
        b'$' | b'=' | b'!' if n >= 0 => out.extend(read_n(s, n as usize + 2)),
        b'*' | b'~' | b'>' => (0..n.max(0)).for_each(|_| read_reply_into(s, out)),
        b'%' | b'|' => (0..n * 2).for_each(|_| read_reply_into(s, out)),
        _ => {}
    }
}

/// EOF (or reset) right now or within 5 s; a timeout means still open.
fn closed(s: &mut TcpStream) -> bool {
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let mut b = [0u8; 64];
    match s.read(&mut b) {
        Ok(0) => true,
        Ok(n) => panic!("unexpected bytes {:?}", String::from_utf8_lossy(&b[..n])),
        Err(e) => e.kind() == std::io::ErrorKind::ConnectionReset,
    }
}

/// Runs one command given as arguments; returns the raw reply.
fn cmd(s: &mut TcpStream, args: &[&[u8]]) -> Vec<u8> {
    let mut req = format!("*{}\r\n", args.len()).into_bytes();
    for a in args {
        req.extend(format!("${}\r\n", a.len()).bytes());
        req.extend_from_slice(a);
        req.extend_from_slice(b"\r\n");
    }
    send(s, &req);
    read_reply(s)
}

fn unknown(reply: &[u8]) -> bool {
    reply.starts_with(b"-ERR unknown command")
}

#[test]
fn ping_set_get_multibulk() {
    let srv = Server::start(&[]);
    let mut c = srv.connect();
    assert_eq!(cmd(&mut c, &[b"PING"]), b"+PONG\r\n");
    assert_eq!(cmd(&mut c, &[b"SET", b"k", b"v\r\n\0x"]), b"+OK\r\n");
    assert_eq!(cmd(&mut c, &[b"GET", b"k"]), b"$5\r\nv\r\n\0x\r\n");
    assert_eq!(cmd(&mut c, &[b"GET", b"missing"]), b"$-1\r\n");
    assert_eq!(cmd(&mut c, &[b"NOSUCH", b"a"]), b"-ERR unknown command 'NOSUCH', with args beginning with: 'a' \r\n");
}

#[test]
fn pipelining_many_commands_in_one_write() {
    let srv = Server::start(&[]);
    let mut c = srv.connect();
    let mut req = Vec::new();
    let mut want = Vec::new();
    for i in 0..2000 {
        let v = format!("value-{i}");
        req.extend(format!("*3\r\n$3\r\nSET\r\n${}\r\nkey{i}\r\n${}\r\n{v}\r\n", format!("key{i}").len(), v.len()).bytes());
        req.extend(format!("*2\r\n$3\r\nGET\r\n${}\r\nkey{i}\r\n", format!("key{i}").len()).bytes());
        want.extend_from_slice(b"+OK\r\n");
        want.extend(format!("${}\r\n{v}\r\n", v.len()).bytes());
    }
    // Mixed with inline commands and empty requests.
    req.extend_from_slice(b"PING\r\n\r\n*0\r\n*-1\r\nPING\n");
    want.extend_from_slice(b"+PONG\r\n+PONG\r\n");
    send(&mut c, &req);
    expect(&mut c, &want);
}

#[test]
fn requests_split_across_writes() {
    let srv = Server::start(&[]);
    let mut c = srv.connect();
    let req = b"*3\r\n$3\r\nSET\r\n$5\r\nsplit\r\n$10\r\n0123456789\r\n*2\r\n$3\r\nGET\r\n$5\r\nsplit\r\n";
    for b in req.chunks(3) {
        send(&mut c, b);
        std::thread::sleep(Duration::from_millis(1));
    }
    expect(&mut c, b"+OK\r\n$10\r\n0123456789\r\n");
}

#[test]
fn half_closed_client_still_gets_its_replies() {
    let srv = Server::start(&[]);
    let mut c = srv.connect();
    send(&mut c, b"PING\r\n*1\r\n$4\r\nPING\r\n");
    c.shutdown(std::net::Shutdown::Write).unwrap();
    expect(&mut c, b"+PONG\r\n+PONG\r\n");
    assert!(closed(&mut c));
}

#[test]
fn inline_commands() {
    let srv = Server::start(&[]);
    let mut c = srv.connect();
    send(&mut c, b"PING\r\nSET k \"a b\\x41\\n\"\r\nGET k\r\n  \r\nset q 'it''s'\r\n");
    expect(&mut c, b"+PONG\r\n+OK\r\n$5\r\na bA\n\r\n");
    // 'it''s': a closing quote followed by a quote is unbalanced.
    expect(&mut c, b"-ERR Protocol error: unbalanced quotes in request\r\n");
    assert!(closed(&mut c));
}

#[test]
fn large_values_round_trip() {
    let srv = Server::start(&[]);
    let mut c = srv.connect();
    let big: Vec<u8> = (0..5_000_000u32).map(|i| (i % 251) as u8).collect();
    assert_eq!(cmd(&mut c, &[b"SET", b"big", &big]), b"+OK\r\n");
    let r = cmd(&mut c, &[b"GET", b"big"]);
    assert_eq!(&r[..10], b"$5000000\r\n");
    assert_eq!(&r[10..r.len() - 2], &big[..]);
}

#[test]
fn protocol_errors_reply_then_close() {
    let srv = Server::start(&[]);
    let cases: &[(&[u8], &[u8])] = &[
        (b"*abc\r\n", b"-ERR Protocol error: invalid multibulk length\r\n"),
        (b"*2147483648\r\n", b"-ERR Protocol error: invalid multibulk length\r\n"),
        (b"*3\r\n$3\r\nSET\r\n:1\r\n", b"-ERR Protocol error: expected '$', got ':'\r\n"),
        (b"*1\r\n\r\n", b"-ERR Protocol error: expected '$', got ' '\r\n"),
        (b"*1\r\n$-1\r\n", b"-ERR Protocol error: invalid bulk length\r\n"),
        (b"*1\r\n$536870913\r\n", b"-ERR Protocol error: invalid bulk length\r\n"),
        (b"SET a \"b\r\n", b"-ERR Protocol error: unbalanced quotes in request\r\n"),
        // Commands before the error are answered first.
        (b"PING\r\n*1\r\n$x\r\n", b"+PONG\r\n-ERR Protocol error: invalid bulk length\r\n"),
    ];
    for (req, want) in cases {
        let mut c = srv.connect();
        send(&mut c, req);
        expect(&mut c, want);
        assert!(closed(&mut c), "not closed after {:?}", String::from_utf8_lossy(req));
    }
    let long = |prefix: &[u8], n: usize| {
        let mut v = prefix.to_vec();
        v.resize(prefix.len() + n, b'1');
        v
    };
    let cases: Vec<(Vec<u8>, &[u8])> = vec![
        (long(b"", 70_000), b"-ERR Protocol error: too big inline request\r\n"),
        (long(b"*", 70_000), b"-ERR Protocol error: too big mbulk count string\r\n"),
        (long(b"*1\r\n$", 70_000), b"-ERR Protocol error: too big bulk count string\r\n"),
    ];
    for (req, want) in cases {
        let mut c = srv.connect();
        // The server may close before taking everything; ignore write errors.
        let _ = c.write_all(&req);
        expect(&mut c, want);
        assert!(closed(&mut c));
    }
    // The server still serves others.
    let mut c = srv.connect();
    assert_eq!(cmd(&mut c, &[b"PING"]), b"+PONG\r\n");
}

#[test]
fn incomplete_request_waits() {
    let srv = Server::start(&[]);
    let mut c = srv.connect();
    // *2147483647 is a valid (huge) count: the server waits for arguments
    // without allocating for them.
    send(&mut c, b"*2147483647\r\n$4\r\nPING\r\n");
    c.set_read_timeout(Some(Duration::from_millis(200))).unwrap();
    let mut b = [0u8; 16];
    assert!(c.read(&mut b).is_err(), "no reply expected");
    let mut d = srv.connect();
    assert_eq!(cmd(&mut d, &[b"PING"]), b"+PONG\r\n");
}

#[test]
fn resp3_after_hello() {
    let srv = Server::start(&[]);
    let mut c = srv.connect();
    let r = cmd(&mut c, &[b"HELLO", b"3"]);
    assert!(!unknown(&r), "HELLO 3: {}", String::from_utf8_lossy(&r));
    assert!(r.starts_with(b"%"), "HELLO 3 answers a map: {:?}", String::from_utf8_lossy(&r));
    assert_eq!(cmd(&mut c, &[b"GET", b"nokey"]), b"_\r\n");
    assert_eq!(cmd(&mut c, &[b"PING"]), b"+PONG\r\n");
    let r = cmd(&mut c, &[b"HELLO", b"2"]);
    assert!(r.starts_with(b"*"));
    assert_eq!(cmd(&mut c, &[b"GET", b"nokey"]), b"$-1\r\n");
}

#[test]
fn quit_replies_ok_then_closes() {
    let srv = Server::start(&[]);
    let mut c = srv.connect();
    send(&mut c, b"*1\r\n$4\r\nQUIT\r\nPING\r\n");
    let r = read_reply(&mut c);
    assert_eq!(r, b"+OK\r\n");
    // The PING after QUIT is not run.
    assert!(closed(&mut c));
}

#[test]
fn blpop_is_woken_by_lpush_from_another_client() {
    let srv = Server::start(&[]);
    let mut a = srv.connect();
    let mut b = srv.connect();
    let probe = cmd(&mut b, &[b"LPUSH", b"probe", b"x"]);
    assert!(!unknown(&probe), "LPUSH: {}", String::from_utf8_lossy(&probe));
    // A blocks; its pipelined PING waits behind the BLPOP.
    send(&mut a, b"*3\r\n$5\r\nBLPOP\r\n$4\r\nlist\r\n$1\r\n0\r\n*1\r\n$4\r\nPING\r\n");
    a.set_read_timeout(Some(Duration::from_millis(200))).unwrap();
    let mut buf = [0u8; 16];
    assert!(a.read(&mut buf).is_err(), "BLPOP must block");
    a.set_read_timeout(Some(IO_TIMEOUT)).unwrap();
    assert_eq!(cmd(&mut b, &[b"LPUSH", b"list", b"hello"]), b":1\r\n");
    expect(&mut a, b"*2\r\n$4\r\nlist\r\n$5\r\nhello\r\n+PONG\r\n");
    // The element went to the blocked client.
    assert_eq!(cmd(&mut b, &[b"LPOP", b"list"]), b"$-1\r\n");

    // A timeout answers a null array.
    let t = Instant::now();
    assert_eq!(cmd(&mut a, &[b"BLPOP", b"list", b"0.2"]), b"*-1\r\n");
    let waited = t.elapsed();
    assert!(waited >= Duration::from_millis(190) && waited < Duration::from_secs(3), "{waited:?}");

    // A blocked client that disconnects leaves nothing behind.
    let mut gone = srv.connect();
    send(&mut gone, b"*3\r\n$5\r\nBLPOP\r\n$5\r\nlist2\r\n$1\r\n0\r\n");
    std::thread::sleep(Duration::from_millis(100));
    drop(gone);
    std::thread::sleep(Duration::from_millis(100));
    assert_eq!(cmd(&mut b, &[b"LPUSH", b"list2", b"v"]), b":1\r\n");
    assert_eq!(cmd(&mut b, &[b"LPOP", b"list2"]), b"$1\r\nv\r\n");
}

#[test]
fn client_kill_closes_another_connection() {
    let srv = Server::start(&[]);
    let mut a = srv.connect();
    let mut b = srv.connect();
    let r = cmd(&mut a, &[b"CLIENT", b"ID"]);
    assert!(!r.starts_with(b"-"), "CLIENT ID: {}", String::from_utf8_lossy(&r));
    let id = String::from_utf8_lossy(&r[1..r.len() - 2]).into_owned();
    // A is blocked (when lists exist) or idle; either way it is closed.
    send(&mut a, b"*3\r\n$5\r\nBLPOP\r\n$5\r\nkillq\r\n$1\r\n0\r\n");
    std::thread::sleep(Duration::from_millis(50));
    let r = cmd(&mut b, &[b"CLIENT", b"KILL", b"ID", id.as_bytes()]);
    assert_eq!(r, b":1\r\n");
    a.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let mut rest = Vec::new();
    let _ = a.read_to_end(&mut rest);
    // Only an "unknown command" error for BLPOP may have come before.
    assert!(rest.is_empty() || unknown(&rest), "{:?}", String::from_utf8_lossy(&rest));
    assert_eq!(cmd(&mut b, &[b"PING"]), b"+PONG\r\n");
}

#[test]
fn config_and_info_report_the_host() {
    let srv = Server::start(&["--hz", "20"]);
    let mut c = srv.connect();
    let r = cmd(&mut c, &[b"CONFIG", b"GET", b"port"]);
    assert!(!unknown(&r), "CONFIG GET: {}", String::from_utf8_lossy(&r));
    let port = srv.port.to_string();
    assert_eq!(r, format!("*2\r\n$4\r\nport\r\n${}\r\n{port}\r\n", port.len()).into_bytes());
    assert_eq!(cmd(&mut c, &[b"CONFIG", b"GET", b"bind"]), b"*2\r\n$4\r\nbind\r\n$9\r\n127.0.0.1\r\n");
    assert_eq!(cmd(&mut c, &[b"CONFIG", b"GET", b"hz"]), b"*2\r\n$2\r\nhz\r\n$2\r\n20\r\n");
    let dir = cmd(&mut c, &[b"CONFIG", b"GET", b"dir"]);
    assert!(String::from_utf8_lossy(&dir).contains(&*srv.dir.display().to_string()), "{:?}", String::from_utf8_lossy(&dir));
    let info = String::from_utf8_lossy(&cmd(&mut c, &[b"INFO", b"server"])).into_owned();
    assert!(info.contains(&format!("tcp_port:{port}\r\n")), "{info}");
    assert!(info.contains("multiplexing_api:epoll\r\n"), "{info}");
    assert!(info.contains(&format!("process_id:{}\r\n", srv.child.id())), "{info}");
}

#[test]
fn many_concurrent_clients() {
    let srv = Server::start(&[]);
    let port = srv.port;
    let threads: Vec<_> = (0..64)
        .map(|t| {
            std::thread::spawn(move || {
                let mut c = TcpStream::connect(("127.0.0.1", port)).unwrap();
                c.set_read_timeout(Some(IO_TIMEOUT)).unwrap();
                for round in 0..20 {
                    let mut req = Vec::new();
                    let mut want = Vec::new();
                    for i in 0..25 {
                        let k = format!("c{t}-k{i}");
                        let v = format!("{t}-{round}-{i}");
                        req.extend(format!("*3\r\n$3\r\nSET\r\n${}\r\n{k}\r\n${}\r\n{v}\r\n", k.len(), v.len()).bytes());
                        req.extend(format!("*2\r\n$3\r\nGET\r\n${}\r\n{k}\r\n", k.len()).bytes());
                        want.extend_from_slice(b"+OK\r\n");
                        want.extend(format!("${}\r\n{v}\r\n", v.len()).bytes());
                    }
                    c.write_all(&req).unwrap();
                    let mut got = vec![0u8; want.len()];
                    c.read_exact(&mut got).unwrap();
                    assert_eq!(got, want);
                }
            })
        })
        .collect();
    for t in threads {
        t.join().expect("client thread");
    }
}

#[test]
fn redis_cli_and_benchmark_work() {
    let srv = Server::start(&[]);
    let port = srv.port.to_string();
    let out = Command::new("redis-cli").args(["-p", &port, "ping"]).output().expect("redis-cli (scripts/test.sh installs it)");
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "PONG");
    let out = Command::new("redis-cli").args(["-p", &port, "set", "cli", "works"]).output().unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "OK");
    let out = Command::new("redis-cli").args(["-p", &port, "get", "cli"]).output().unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "works");
    let out = Command::new("redis-benchmark").args(["-p", &port, "-q", "-n", "2000", "-t", "set,get"]).output().expect("redis-benchmark (scripts/test.sh installs redis-tools)");
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout).replace('\r', "\n");
    assert!(text.contains("SET:") && text.contains("GET:"), "{text}");
}

#[test]
fn max_clients_reached() {
    let srv = Server::start(&["--maxclients", "2"]);
    let mut a = srv.connect();
    let mut b = srv.connect();
    assert_eq!(cmd(&mut a, &[b"PING"]), b"+PONG\r\n");
    assert_eq!(cmd(&mut b, &[b"PING"]), b"+PONG\r\n");
    let mut c = srv.connect();
    expect(&mut c, b"-ERR max number of clients reached\r\n");
    assert!(closed(&mut c));
}

#[test]
fn idle_timeout_closes_clients() {
    let srv = Server::start(&["--timeout", "1", "--hz", "50"]);
    let mut c = srv.connect();
    assert_eq!(cmd(&mut c, &[b"PING"]), b"+PONG\r\n");
    c.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let t = Instant::now();
    let mut b = [0u8; 8];
    assert!(matches!(c.read(&mut b), Ok(0)));
    assert!(t.elapsed() >= Duration::from_millis(900));
}

#[test]
fn sigterm_exits_cleanly() {
    let mut srv = Server::start(&[]);
    let pid = srv.child.id().to_string();
    let st = Command::new("kill").args(["-TERM", &pid]).status().expect("kill");
    assert!(st.success());
    let t = Instant::now();
    loop {
        if let Some(st) = srv.child.try_wait().unwrap() {
            assert!(st.success(), "exit status {st:?}");
            break;
        }
        assert!(t.elapsed() < Duration::from_secs(5), "server did not exit");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn command_line() {
    let out = Command::new(BIN).arg("--version").output().unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("redlet server v="));
    let out = Command::new(BIN).arg("help").output().unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("redlet serve"));
    let out = Command::new(BIN).args(["serve", "--port", "99999"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("FATAL CONFIG"));
    let out = Command::new(BIN).arg("bogus").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn dir_is_created() {
    let srv = Server::start(&[]);
    assert!(srv.dir.is_dir());
}

/// A real redis-server on a free port (found by binding port 0 first),
/// killed on drop; `None` when redis-server is not installed.
struct RedisServer {
    child: Child,
    port: u16,
}

impl RedisServer {
    fn start() -> Option<RedisServer> {
        (0..5).find_map(|_| Self::try_start())
    }

    /// One attempt on one free port. Another test may be handed the same
    /// port: a server is only ours if it reports our child's process id.
    fn try_start() -> Option<RedisServer> {
        let port = std::net::TcpListener::bind("127.0.0.1:0").ok()?.local_addr().ok()?.port();
        let child = Command::new("redis-server")
            .args(["--port", &port.to_string(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
            .stdout(Stdio::null())
            .spawn()
            .ok()?;
        let mut srv = RedisServer { child, port };
        let t = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if t.elapsed() > Duration::from_secs(5) || srv.child.try_wait().ok().flatten().is_some() {
                return None;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let info = exchange(port, b"INFO server\r\n", &[]);
        let pid = format!("process_id:{}\r\n", srv.child.id());
        String::from_utf8_lossy(&info).contains(&pid).then_some(srv)
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Sends `input`, half-closes, and returns everything the server answers
/// until it closes the connection.
fn exchange(port: u16, input: &[u8], cuts: &[usize]) -> Vec<u8> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    s.set_read_timeout(Some(IO_TIMEOUT)).unwrap();
    s.set_nodelay(true).unwrap();
    // Pieces written apart in time arrive in separate reads.
    let mut from = 0;
    for &cut in cuts.iter().chain([input.len()].iter()) {
        let cut = cut.clamp(from, input.len());
        let _ = s.write_all(&input[from..cut]);
        if cut < input.len() {
            std::thread::sleep(Duration::from_millis(2));
        }
        from = cut;
    }
    let _ = s.shutdown(std::net::Shutdown::Write);
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    out
}

/// Random request streams built from protocol fragments must get the same
/// bytes back from redlet and from Redis 7.0 (fails without redis-server).
#[test]
fn differential_protocol_fuzz_against_redis() {
    let redis = RedisServer::start().expect("redis-server 7.0 (scripts/test.sh installs it)");
    let srv = Server::start(&[]);
    let frags: &[&[u8]] = &[
        b"*", b"*1\r\n", b"*2\r\n", b"*3\r\n", b"*0\r\n", b"*-1\r\n", b"$", b"$1\r\n", b"$3\r\n", b"$4\r\n", b"$-1", b"\r\n", b"\r",
        b"\n", b"PING", b"GET k", b"SET k", b"k", b"v", b" ", b"\"", b"'", b"\\", b"x41", b"\\n", b"\0", b"0", b"1", b"12", b"-", b"+",
        b":", b"ping\r\n", b"*1\r\n$4\r\nPING\r\n", b"*2\r\n$3\r\nGET\r\n$1\r\nk\r\n", b"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$2\r\nab\r\n",
    ];
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for case in 0..1200 {
        let n = 1 + next() % 12;
        let mut input = Vec::new();
        for _ in 0..n {
            input.extend_from_slice(frags[(next() % frags.len() as u64) as usize]);
        }
        // Every fourth case arrives in pieces.
        let mut cuts = Vec::new();
        if case % 4 == 0 && input.len() > 1 {
            for _ in 0..1 + next() % 3 {
                cuts.push(1 + (next() as usize) % (input.len() - 1));
            }
            cuts.sort_unstable();
        }
        let want = exchange(redis.port, &input, &cuts);
        let got = exchange(srv.port, &input, &cuts);
        assert_eq!(
            String::from_utf8_lossy(&got),
            String::from_utf8_lossy(&want),
            "case {case}: input {:?}",
            String::from_utf8_lossy(&input)
        );
    }
}

/// A subscriber that stops reading is disconnected once its pending output
/// passes the pubsub class's hard `client-output-buffer-limit`, by redlet
/// as by Redis 7.0: the channel loses it, its connection ends after what
/// was already sent, and CLIENT LIST showed its output (`omem`) before.
#[test]
fn slow_subscriber_is_disconnected_at_the_output_buffer_limit() {
    let redis = RedisServer::start().expect("redis-server 7.0 (scripts/test.sh installs it)");
    let srv = Server::start(&[]);
    for (who, port) in [("redis", redis.port), ("redlet", srv.port)] {
        let connect = || {
            let s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
            s.set_read_timeout(Some(IO_TIMEOUT)).unwrap();
            s
        };
        let mut ctl = connect();
        assert_eq!(cmd(&mut ctl, &[b"CONFIG", b"SET", b"client-output-buffer-limit", b"pubsub 4mb 2mb 60"]), b"+OK\r\n", "{who}");
        let mut sub = connect();
        assert_eq!(cmd(&mut sub, &[b"SUBSCRIBE", b"ch"]), b"*3\r\n$9\r\nsubscribe\r\n$2\r\nch\r\n:1\r\n", "{who}");
        // 32 MB of messages the subscriber does not read: the socket's
        // buffers take some, the rest waits on the server past 4 MB.
        let msg = vec![b'm'; 256 << 10];
        let mut delivered = Vec::new();
        for _ in 0..128 {
            let r = cmd(&mut ctl, &[b"PUBLISH", b"ch", &msg]);
            delivered.push(r == b":1\r\n");
        }
        assert!(delivered[0], "{who}: the first message reached the subscriber");
        assert_eq!(delivered.last(), Some(&false), "{who}: the subscriber was dropped");
        assert_eq!(cmd(&mut ctl, &[b"PUBSUB", b"NUMSUB", b"ch"]), b"*2\r\n$2\r\nch\r\n:0\r\n", "{who}");
        // The subscriber reads what was sent before, then the end.
        let mut got = 0usize;
        let mut b = vec![0u8; 1 << 20];
        loop {
            match sub.read(&mut b) {
                Ok(0) => break,
                Ok(n) => got += n,
                Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => break,
                Err(e) => panic!("{who}: {e}"),
            }
        }
        assert!(got < 128 * msg.len(), "{who}: {got} bytes");
        // A reader that keeps up is never dropped.
        let mut sub2 = connect();
        cmd(&mut sub2, &[b"SUBSCRIBE", b"ch2"]);
        let framed = [format!("*3\r\n$7\r\nmessage\r\n$3\r\nch2\r\n${}\r\n", msg.len()).into_bytes(), msg.clone(), b"\r\n".to_vec()].concat();
        let mut one = vec![0u8; framed.len()];
        for _ in 0..64 {
            assert_eq!(cmd(&mut ctl, &[b"PUBLISH", b"ch2", &msg]), b":1\r\n", "{who}");
            sub2.read_exact(&mut one).expect("read");
            assert!(one == framed, "{who}");
        }
        let list = String::from_utf8_lossy(&cmd(&mut ctl, &[b"CLIENT", b"LIST", b"TYPE", b"pubsub"])).into_owned();
        assert!(list.contains(" omem=0 "), "{who}: {list}");
    }
}
