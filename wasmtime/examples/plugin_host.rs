//! Runs the plugin example's `demo` and prints its transcript, one line
//! per entry. Two ways, which must print the same bytes
//! (`examples/plugin/run.sh` checks it, with the Node run of the same
//! composition as the third):
//!
//! ```text
//! plugin_host native target/plugin/plugin.wasm
//! plugin_host composed target/plugin/composed.wasm
//! ```
//!
//! - `native`: a plugin runtime. The plugin's imports
//!   (`redlet:engine/engine`, `wasi:keyvalue`) come from
//!   `redlet_wasmtime::plugin::add_to_linker`, backed by the native engine.
//! - `composed`: the plugin plugged into the redlet component
//!   (`plugin_compose`, i.e. `wac plug`): one component that imports only
//!   `redlet:engine/storage` and `wasi:clocks/wall-clock`, given here as
//!   blobs in memory.
//!
//! Both read a clock fixed at 2026-01-01T00:00:12.345Z, so the transcript
//! does not depend on when it runs.

#[path = "../tests/plugin_support/mod.rs"]
mod support;

use std::process::ExitCode;

use support::Mode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mode = match args.first().map(String::as_str) {
        Some("native") => Mode::Native,
        Some("composed") => Mode::Composed,
        _ => {
            eprintln!("usage: plugin_host native <plugin.wasm> | composed <composed.wasm>");
            return ExitCode::FAILURE;
        }
    };
    let Some(path) = args.get(1) else {
        eprintln!("plugin_host: which component? (plugin_host {} <file.wasm>)", args[0]);
        return ExitCode::FAILURE;
    };
    let result = std::fs::read(path).map_err(|e| format!("{path}: {e}")).and_then(|wasm| support::run_demo(mode, &wasm));
    match result {
        Ok(lines) => {
            for line in lines {
                println!("{line}");
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("plugin_host: {e}");
            ExitCode::FAILURE
        }
    }
}
