//! Busy scripts (Redis 7.0's "timed out" scripts): past
//! `busy-reply-threshold` a script's caller blocks, the script goes on in
//! the host's ticks, other clients get `-BUSY`, SCRIPT KILL / FUNCTION KILL
//! stop it unless it wrote. Expected texts are redis-server 7.0.15's. Time
//! is a clock that moves 1 ms at every read, so a script's own run moves it
//! and nothing here sleeps.
#![cfg(feature = "scripting")]

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use redlet::clock::Clock;
use redlet::{ClientId, ClientInfo, Config, Engine, Options, Protocol, Reply};

/// A clock that advances 1 ms each time it is read.
#[derive(Clone)]
struct Ticking(Arc<AtomicU64>);

impl Clock for Ticking {
    fn now_micros(&self) -> u64 {
        self.0.fetch_add(1000, Ordering::Relaxed)
    }
}

fn engine(threshold: &str) -> Engine {
    let mut config = Config::default();
    config.set_param("busy-reply-threshold", threshold).unwrap();
    Engine::new(Options { config, clock: Box::new(Ticking(Arc::new(AtomicU64::new(1_000_000_000)))), seed: 1 })
}

fn run(e: &mut Engine, c: ClientId, args: &[&str]) -> Option<String> {
    let a: Vec<&[u8]> = args.iter().map(|s| s.as_bytes()).collect();
    e.execute(c, &a).map(|r| text(&r))
}

fn text(r: &Reply) -> String {
    String::from_utf8_lossy(&r.to_resp(Protocol::Resp2)).into_owned()
}

/// Ticks until the busy script's caller `c` has its reply.
fn finish(e: &mut Engine, c: ClientId) -> String {
    for _ in 0..100_000 {
        e.tick();
        if let Some(r) = e.pop_output(c) {
            return text(&r);
        }
    }
    panic!("the busy script never ended");
}

const BUSY_EVAL: &str = "-BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.\r\n";
const BUSY_FUNCTION: &str = "-BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.\r\n";

#[test]
fn a_busy_script_blocks_its_caller_and_others_get_busy_until_script_kill() {
    let mut e = engine("50");
    let a = e.open_client(ClientInfo::default());
    let b = e.open_client(ClientInfo::default());
    assert_eq!(run(&mut e, a, &["EVAL", "local i = 0 while true do i = i + 1 end", "0"]), None);
    assert!(e.next_wakeup_ms().is_some());
    assert_eq!(run(&mut e, b, &["PING"]).as_deref(), Some(BUSY_EVAL));
    assert_eq!(run(&mut e, b, &["GET", "x"]).as_deref(), Some(BUSY_EVAL));
    assert_eq!(run(&mut e, b, &["FUNCTION", "STATS"]).as_deref(), Some(BUSY_EVAL));
    assert_eq!(run(&mut e, b, &["FUNCTION", "KILL"]).as_deref(), Some(BUSY_EVAL));
    assert_eq!(run(&mut e, b, &["SHUTDOWN"]).as_deref(), Some(BUSY_EVAL));
    assert_eq!(run(&mut e, b, &["MULTI"]).as_deref(), Some("+OK\r\n"));
    assert_eq!(run(&mut e, b, &["DISCARD"]).as_deref(), Some("+OK\r\n"));
    e.tick();
    assert_eq!(run(&mut e, b, &["SCRIPT", "KILL"]).as_deref(), Some("+OK\r\n"));
    let sha = sha1("local i = 0 while true do i = i + 1 end");
    assert_eq!(finish(&mut e, a), format!("-ERR Script killed by user with SCRIPT KILL... script: {sha}, on @user_script:1.\r\n"));
    assert_eq!(run(&mut e, b, &["PING"]).as_deref(), Some("+PONG\r\n"));
    assert_eq!(run(&mut e, b, &["SCRIPT", "KILL"]).as_deref(), Some("-NOTBUSY No scripts in execution right now.\r\n"));
}

#[test]
fn a_script_that_wrote_is_unkillable_and_its_effects_land_when_it_ends() {
    let mut e = engine("20");
    let a = e.open_client(ClientInfo::default());
    let b = e.open_client(ClientInfo::default());
    // Runs well past the threshold, then ends by itself.
    let script = "redis.call('set', 'x', '1') local t = 0 for i = 1, 3000000 do t = t + 1 end redis.call('incr', 'x') return t";
    assert_eq!(run(&mut e, a, &["EVAL", script, "0"]), None);
    assert_eq!(
        run(&mut e, b, &["SCRIPT", "KILL"]).as_deref(),
        Some("-UNKILLABLE Sorry the script already executed write commands against the dataset. You can either wait the script termination or kill the server in a hard way using the SHUTDOWN NOSAVE command.\r\n")
    );
    assert_eq!(finish(&mut e, a), ":3000000\r\n");
    assert_eq!(run(&mut e, b, &["GET", "x"]).as_deref(), Some("$1\r\n2\r\n"));
}

#[test]
fn a_busy_function_is_stopped_by_function_kill_and_shown_by_function_stats() {
    let mut e = engine("50");
    let a = e.open_client(ClientInfo::default());
    let b = e.open_client(ClientInfo::default());
    let lib = "#!lua name=spin\nredis.register_function('spin', function() while true do end end)";
    assert_eq!(run(&mut e, a, &["FUNCTION", "LOAD", lib]).as_deref(), Some("$4\r\nspin\r\n"));
    assert_eq!(run(&mut e, a, &["FCALL", "spin", "0"]), None);
    assert_eq!(run(&mut e, b, &["PING"]).as_deref(), Some(BUSY_FUNCTION));
    assert_eq!(run(&mut e, b, &["SCRIPT", "KILL"]).as_deref(), Some(BUSY_FUNCTION));
    let stats = run(&mut e, b, &["FUNCTION", "STATS"]).unwrap();
    assert!(stats.starts_with("*4\r\n$14\r\nrunning_script\r\n*6\r\n$4\r\nname\r\n$4\r\nspin\r\n$7\r\ncommand\r\n*3\r\n$5\r\nFCALL\r\n$4\r\nspin\r\n$1\r\n0\r\n$11\r\nduration_ms\r\n:"), "{stats}");
    assert_eq!(run(&mut e, b, &["FUNCTION", "KILL"]).as_deref(), Some("+OK\r\n"));
    assert_eq!(finish(&mut e, a), "-ERR Script killed by user with SCRIPT KILL... script: spin, on @user_function:2.\r\n");
}

#[test]
fn a_long_script_inside_exec_runs_to_its_end() {
    // EXEC cannot leave a command blocked: the script runs on past the
    // threshold and EXEC answers with its result.
    let mut e = engine("20");
    let a = e.open_client(ClientInfo::default());
    assert_eq!(run(&mut e, a, &["MULTI"]).as_deref(), Some("+OK\r\n"));
    assert_eq!(run(&mut e, a, &["EVAL", "local t = 0 for i = 1, 3000000 do t = t + 1 end return t", "0"]).as_deref(), Some("+QUEUED\r\n"));
    assert_eq!(run(&mut e, a, &["EXEC"]).as_deref(), Some("*1\r\n:3000000\r\n"));
    assert_eq!(run(&mut e, a, &["PING"]).as_deref(), Some("+PONG\r\n"));
}

#[test]
fn threshold_zero_never_goes_busy() {
    let mut e = engine("0");
    let a = e.open_client(ClientInfo::default());
    assert_eq!(run(&mut e, a, &["EVAL", "local t = 0 for i = 1, 300000 do t = t + 1 end return t", "0"]).as_deref(), Some(":300000\r\n"));
}

/// The lowercase hex sha1 of `s`, through the engine's own SCRIPT LOAD.
fn sha1(s: &str) -> String {
    let mut e = engine("0");
    let c = e.open_client(ClientInfo::default());
    let r = run(&mut e, c, &["SCRIPT", "LOAD", s]).unwrap();
    r.lines().nth(1).unwrap().to_string()
}
