//! `wac plug` as a library call: plugs the exports of the redlet component
//! into the matching imports of a plugin and writes the composition, one
//! component.
//!
//! ```text
//! cargo run -p redlet-wasmtime --example plugin_compose -- \
//!     target/plugin/plugin.wasm target/component/redlet.wasm target/plugin/composed.wasm
//! ```
//!
//! writes what `wac plug target/plugin/plugin.wasm --plug
//! target/component/redlet.wasm -o target/plugin/composed.wasm` writes
//! (byte for byte: the same `wac-graph` 0.12 the `wac-cli` 0.12 binary
//! uses, with its defaults). Why a library call and not the CLI: `cargo
//! install wac-cli` also builds its registry client (tokio, reqwest,
//! rustls, keyring...) and took 27.5 minutes here; this needs nothing
//! installed.
//!
//! The composition imports what the plugin and the component import and
//! nothing in it exports: `redlet:engine/storage`, `wasi:clocks/wall-clock`
//! (and `redlet:engine/types`, which holds only types).

#[path = "../tests/plugin_support/mod.rs"]
mod support;

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [socket, plug, out] = args.as_slice() else {
        eprintln!("usage: plugin_compose <socket.wasm> <plug.wasm> <out.wasm>");
        return ExitCode::FAILURE;
    };
    let read = |p: &str| std::fs::read(p).map_err(|e| format!("{p}: {e}"));
    let result = read(socket).and_then(|s| read(plug).and_then(|p| support::compose(&s, &p))).and_then(|bytes| {
        std::fs::write(out, &bytes).map_err(|e| format!("{out}: {e}"))?;
        Ok(bytes.len())
    });
    match result {
        Ok(n) => {
            eprintln!("plugin_compose: {out} ({n} bytes)");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("plugin_compose: {e}");
            ExitCode::FAILURE
        }
    }
}
