//! The `redlet` binary: `redlet serve` runs a RESP server (Redis 7.0 wire
//! protocol) over one in-process [`redlet::Engine`].
//!
//! Command line, like `redis-server`: an optional config file, then
//! `--<directive> value...` pairs (every `--name` starts a directive, the
//! arguments up to the next `--name` are its value, joined by spaces). The
//! host keeps `bind`, `port` and `dir`; every directive, those included, also
//! reaches the engine's [`redlet::Config`] (see [`config::apply`]).

/// See host/Cargo.toml for why the server uses mimalloc.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod config;
mod log;
mod server;
mod storage;

use std::process::ExitCode;

const USAGE: &str = "\
Usage: redlet serve [/path/to/redis.conf] [--bind ADDR...] [--port N] [--dir PATH] [--<directive> VALUE...]
       redlet --version
       redlet help

Runs a Redis 7.0 compatible server over the redlet engine.

  --bind ADDR...   addresses to listen on (default 127.0.0.1; '-' prefix: optional)
  --port N         TCP port (default 6379; 0 picks a free port, printed at start)
  --dir PATH       data folder, created if missing (persistence is not implemented yet)
  --<name> VALUE   any Redis configuration directive, e.g. --hz 100 --databases 4

Examples:
  redlet serve --port 7000
  redlet serve --port 7000 --maxmemory 100mb --maxmemory-policy allkeys-lru";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let rest = match args.first().map(String::as_str) {
        None => {
            eprintln!("{USAGE}");
            return ExitCode::from(1);
        }
        Some("--version" | "-v" | "version") => {
            println!("{}", version_line());
            return ExitCode::SUCCESS;
        }
        Some("help" | "--help" | "-h") => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Some("serve") => &args[1..],
        // `redlet --port 7000` behaves like `redis-server --port 7000`.
        Some(a) if a.starts_with("--") => &args[..],
        Some(other) => {
            eprintln!("redlet: unknown command '{other}'\n\n{USAGE}");
            return ExitCode::from(1);
        }
    };
    let settings = match config::from_args(rest) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("\n*** FATAL CONFIG FILE ERROR (redlet {}) ***", env!("CARGO_PKG_VERSION"));
            eprintln!("{e}");
            return ExitCode::from(1);
        }
    };
    match server::run(settings) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            log::log('M', log::Level::Warning, &e);
            ExitCode::from(1)
        }
    }
}

/// `--version` output, shaped like `redis-server --version`.
fn version_line() -> String {
    format!(
        "redlet server v={} (Redis 7.0.15 compatible) bits={} os={}",
        env!("CARGO_PKG_VERSION"),
        usize::BITS,
        std::env::consts::OS
    )
}
