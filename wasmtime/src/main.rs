//! The `redlet-wasmtime` binary: `redlet-wasmtime serve` is `redlet serve`
//! (same arguments, log lines and event loop) with every command run by
//! the redlet **component** in wasmtime instead of the native engine, so
//! every RESP test can run against the wasm build.

use std::process::ExitCode;

use redlet_host::{config, log};
use redlet_wasmtime::serve::ComponentBackend;
use redlet_wasmtime::{default_component_path, Redlet, RedletConfig};

const USAGE: &str = "\
Usage: redlet-wasmtime serve [/path/to/redis.conf] [--component FILE] [--bind ADDR...] [--port N] [--dir PATH] [--<directive> VALUE...]
       redlet-wasmtime --version

Runs a Redis 7.0 compatible server over the redlet WebAssembly component
(in wasmtime). Arguments are those of `redlet serve`, plus:

  --component FILE  the component (default: $REDLET_COMPONENT, else
                    <repo>/target/component/redlet.wasm)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let rest: Vec<String> = match args.first().map(String::as_str) {
        Some("serve") => args[1..].to_vec(),
        Some("--version" | "-v" | "version") => {
            println!("redlet-wasmtime v={} (Redis 7.0.15 compatible, wasmtime 48)", env!("CARGO_PKG_VERSION"));
            return ExitCode::SUCCESS;
        }
        Some("help" | "--help" | "-h") => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Some(a) if a.starts_with("--") => args.clone(),
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(1);
        }
    };
    // `--component FILE` is ours; the rest is redis-server's grammar.
    let mut component = default_component_path();
    let mut server_args = Vec::new();
    let mut i = 0;
    while i < rest.len() {
        if rest[i] == "--component" {
            match rest.get(i + 1) {
                Some(p) => component = p.into(),
                None => {
                    eprintln!("redlet-wasmtime: --component needs a file");
                    return ExitCode::from(1);
                }
            }
            i += 2;
        } else {
            server_args.push(rest[i].clone());
            i += 1;
        }
    }
    let settings = match config::from_args(&server_args) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("\n*** FATAL CONFIG FILE ERROR (redlet {}) ***", env!("CARGO_PKG_VERSION"));
            eprintln!("{e}");
            return ExitCode::from(1);
        }
    };
    // Compiled before the server starts (and before it changes directory).
    let component = std::path::absolute(&component).unwrap_or(component);
    let redlet = match Redlet::from_file(&component, &RedletConfig::default()) {
        Ok(r) => r,
        Err(e) => {
            log::log('C', log::Level::Warning, &e.to_string());
            return ExitCode::from(1);
        }
    };
    match redlet_host::server::run_with(settings, |st| ComponentBackend::start(&redlet, st)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            log::log('M', log::Level::Warning, &e);
            ExitCode::from(1)
        }
    }
}
