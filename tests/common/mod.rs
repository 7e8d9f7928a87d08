//! Shared helpers for the integration tests: an engine on a manual clock and
//! short ways to run commands and state expected replies.
#![allow(dead_code)]

use redlet::clock::ManualClock;
use redlet::{ClientId, ClientInfo, Config, Engine, Options, Protocol, Reply};

/// An engine on a manual clock at t = 1_000_000 ms, seed 1.
pub fn engine() -> (Engine, ManualClock) {
    engine_with(Config::default())
}

/// Like [`engine`] with a given configuration.
pub fn engine_with(config: Config) -> (Engine, ManualClock) {
    let clock = ManualClock::new(1_000_000);
    let e = Engine::new(Options { config, clock: Box::new(clock.clone()), seed: 1 });
    (e, clock)
}

/// Splits a command line on spaces (no quoting) into argv.
pub fn argv(line: &str) -> Vec<Vec<u8>> {
    line.split(' ').filter(|s| !s.is_empty()).map(|s| s.as_bytes().to_vec()).collect()
}

/// Runs `line` for client `c` and returns the reply (panics if it blocks).
pub fn run(e: &mut Engine, c: ClientId, line: &str) -> Reply {
    let a = argv(line);
    let refs: Vec<&[u8]> = a.iter().map(|v| v.as_slice()).collect();
    e.execute(c, &refs).expect("command blocked")
}

/// Runs raw argv for client `c`; `None` when it blocks.
pub fn run_argv(e: &mut Engine, c: ClientId, a: &[&[u8]]) -> Option<Reply> {
    e.execute(c, a)
}

/// Runs `line` and renders the reply as RESP2 text, for compact assertions.
pub fn resp(e: &mut Engine, c: ClientId, line: &str) -> String {
    String::from_utf8_lossy(&run(e, c, line).to_resp(Protocol::Resp2)).into_owned()
}

/// Opens a client with no address.
pub fn client(e: &mut Engine) -> ClientId {
    e.open_client(ClientInfo::default())
}

/// Everything client `c` has been sent since it was last drained (replies
/// of blocked commands, pushes), rendered in the client's protocol.
pub fn outputs(e: &mut Engine, c: ClientId) -> String {
    let mut out = Vec::new();
    while let Some(r) = e.pop_output(c) {
        out.extend(r.to_resp(e.protocol(c)));
    }
    String::from_utf8(out).unwrap()
}
