//! What the plugin example's runs and the keyvalue differential test
//! share (included by `tests/plugin.rs`, `tests/keyvalue_diff.rs`,
//! `examples/plugin_host.rs` and `examples/plugin_compose.rs`):
//!
//! - [`compose`]: `wac plug` as a library call (`wac-graph` 0.12, the
//!   crate the `wac-cli` 0.12 binary uses, same defaults, byte-identical
//!   output).
//! - [`composed_linker`]: what a component composed with the redlet
//!   component still imports (`redlet:engine/storage`,
//!   `wasi:clocks/wall-clock`, and `redlet:engine/types`, which holds only
//!   types), served from blobs in memory ([`MemBlobs`]) and a clock fixed
//!   at [`FIXED_MICROS`].
//! - [`native_linker`]: the plugin imports (`redlet:engine/engine`,
//!   `wasi:keyvalue`) from `redlet_wasmtime::plugin::add_to_linker`, native
//!   engines in memory on the same fixed clock.
//! - [`run_demo`]: the plugin example's `demo` transcript.
//! - Where the artefacts are, with the command that builds a missing one.
#![allow(dead_code)]

use std::collections::HashMap;
use std::path::PathBuf;

use redlet_wasmtime::plugin::{RedletCtx, RedletHost};
use wac_graph::types::Package;
use wac_graph::{CompositionGraph, EncodeOptions};
use wasmtime::component::{Component, HasSelf, Linker};
use wasmtime::{Engine, Store};

/// The instant every run's clock is fixed at, in Unix microseconds
/// (2026-01-01T00:00:12.345Z; `examples/plugin/run-node.mjs` has the same
/// number), so transcripts do not depend on when they run.
pub const FIXED_MICROS: u64 = 1_767_225_612_345_000;

/// Imports of a component composed with the redlet component.
mod imports {
    wasmtime::component::bindgen!({
        inline: "
            package redlet:plugin-runner;
            world composed-imports {
                import redlet:engine/types@0.1.0;
                import redlet:engine/storage@0.1.0;
                import wasi:clocks/wall-clock@0.2.0;
            }
        ",
        path: ["../wit"],
    });
}

/// The plugin example's world, for calling its exports.
pub mod plugin_bindings {
    wasmtime::component::bindgen!({
        path: ["../wit", "../examples/plugin/wit"],
        world: "redlet:plugin-example/plugin-example",
        additional_derives: [PartialEq],
    });
}

/// `<repo>/<rel>`, or `$<var>` when set.
fn artefact(var: &str, rel: &str) -> PathBuf {
    match std::env::var_os(var) {
        Some(p) if !p.is_empty() => PathBuf::from(p),
        _ => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..").join(rel),
    }
}

/// Reads an artefact, or fails saying which command builds it.
fn read_artefact(var: &str, rel: &str, build: &str) -> Result<Vec<u8>, String> {
    let path = artefact(var, rel);
    std::fs::read(&path).map_err(|e| format!("{}: {e} (run `{build}` first, or set {var})", path.display()))
}

/// The redlet component (`$REDLET_COMPONENT` or `target/component/redlet.wasm`).
pub fn redlet_component() -> Result<Vec<u8>, String> {
    read_artefact("REDLET_COMPONENT", "target/component/redlet.wasm", "bash component/build.sh")
}

/// The plugin example (`$REDLET_PLUGIN` or `target/plugin/plugin.wasm`).
pub fn plugin_component() -> Result<Vec<u8>, String> {
    read_artefact("REDLET_PLUGIN", "target/plugin/plugin.wasm", "bash examples/plugin/build.sh")
}

/// The keyvalue probe (`$REDLET_KV_PROBE` or `target/plugin/kv-probe.wasm`).
pub fn kv_probe_component() -> Result<Vec<u8>, String> {
    read_artefact("REDLET_KV_PROBE", "target/plugin/kv-probe.wasm", "bash examples/plugin/build.sh")
}

/// Plugs `plug`'s exports into the matching imports of `socket`: what
/// `wac plug <socket> --plug <plug>` writes.
pub fn compose(socket: &[u8], plug: &[u8]) -> Result<Vec<u8>, String> {
    let mut graph = CompositionGraph::new();
    let socket = Package::from_bytes("socket", None, socket.to_vec(), graph.types_mut()).map_err(|e| format!("socket: {e:#}"))?;
    let socket = graph.register_package(socket).map_err(|e| format!("socket: {e:#}"))?;
    // `wac plug` names a plug given as a file `plug:<file stem>`.
    let plug = Package::from_bytes("plug:redlet", None, plug.to_vec(), graph.types_mut()).map_err(|e| format!("plug: {e:#}"))?;
    let plug = graph.register_package(plug).map_err(|e| format!("plug: {e:#}"))?;
    wac_graph::plug(&mut graph, vec![plug], socket).map_err(|e| match std::error::Error::source(&e) {
        Some(s) => format!("plug: {e}: {s:#}"),
        None => format!("plug: {e}"),
    })?;
    graph.encode(EncodeOptions::default()).map_err(|e| format!("encode: {e:#}"))
}

/// Store state of a composed run: named blobs in memory and their staged
/// replacements (the storage interface's contract; nothing needs to
/// survive the process).
#[derive(Default)]
pub struct MemBlobs {
    blobs: HashMap<(String, String), Vec<u8>>,
    staged: HashMap<(String, String), Vec<u8>>,
}

impl imports::redlet::engine::storage::Host for MemBlobs {
    fn size(&mut self, space: String, name: String) -> Result<Option<u64>, String> {
        Ok(self.blobs.get(&(space, name)).map(|b| b.len() as u64))
    }

    fn read_at(&mut self, space: String, name: String, offset: u64, len: u32) -> Result<Vec<u8>, String> {
        let blob = self.blobs.get(&(space, name)).map(Vec::as_slice).unwrap_or_default();
        let start = usize::try_from(offset).unwrap_or(usize::MAX).min(blob.len());
        let end = start.saturating_add(len as usize).min(blob.len());
        Ok(blob[start..end].to_vec())
    }

    fn begin(&mut self, space: String, name: String) -> Result<(), String> {
        self.staged.insert((space, name), Vec::new());
        Ok(())
    }

    fn write(&mut self, space: String, name: String, data: Vec<u8>) -> Result<(), String> {
        match self.staged.get_mut(&(space, name.clone())) {
            Some(b) => {
                b.extend_from_slice(&data);
                Ok(())
            }
            None => Err(format!("write without begin: {name}")),
        }
    }

    fn commit(&mut self, space: String, name: String) -> Result<(), String> {
        let key = (space, name);
        match self.staged.remove(&key) {
            Some(b) => {
                self.blobs.insert(key, b);
                Ok(())
            }
            None => Err(format!("commit without begin: {}", key.1)),
        }
    }

    fn abort(&mut self, space: String, name: String) {
        self.staged.remove(&(space, name));
    }

    fn append(&mut self, space: String, name: String, data: Vec<u8>) -> Result<(), String> {
        self.blobs.entry((space, name)).or_default().extend_from_slice(&data);
        Ok(())
    }

    fn sync(&mut self, _space: String, _name: String) -> Result<(), String> {
        Ok(())
    }
}

impl imports::redlet::engine::types::Host for MemBlobs {}

impl imports::wasi::clocks::wall_clock::Host for MemBlobs {
    fn now(&mut self) -> imports::wasi::clocks::wall_clock::Datetime {
        imports::wasi::clocks::wall_clock::Datetime {
            seconds: FIXED_MICROS / 1_000_000,
            nanoseconds: (FIXED_MICROS % 1_000_000) as u32 * 1000,
        }
    }

    fn resolution(&mut self) -> imports::wasi::clocks::wall_clock::Datetime {
        imports::wasi::clocks::wall_clock::Datetime { seconds: 0, nanoseconds: 1000 }
    }
}

/// A linker serving what a component composed with the redlet component
/// imports.
pub fn composed_linker(engine: &Engine) -> Result<Linker<MemBlobs>, String> {
    let mut linker = Linker::<MemBlobs>::new(engine);
    imports::ComposedImports::add_to_linker::<MemBlobs, HasSelf<MemBlobs>>(&mut linker, |s| s).map_err(|e| format!("{e:#}"))?;
    Ok(linker)
}

/// Store state of a plugin run over the native engine.
pub struct NativeState {
    pub redlet: RedletCtx,
}

/// A fresh in-memory [`RedletHost`] whose engines read the fixed clock.
pub fn fixed_host() -> RedletHost {
    RedletHost::in_memory().with_clock(|| Box::new(redlet::clock::ManualClock::new(FIXED_MICROS / 1000)))
}

/// A linker serving the plugin imports from the native engine.
pub fn native_linker(engine: &Engine) -> Result<Linker<NativeState>, String> {
    let mut linker = Linker::<NativeState>::new(engine);
    redlet_wasmtime::plugin::add_to_linker(&mut linker, |s: &mut NativeState| &mut s.redlet).map_err(|e| format!("{e:#}"))?;
    Ok(linker)
}

/// How the plugin example gets redlet.
#[derive(Clone, Copy, Debug)]
pub enum Mode {
    /// Its imports from `redlet_wasmtime::plugin::add_to_linker`.
    Native,
    /// Composed with the redlet component; `wasm` is the composition.
    Composed,
}

/// Runs the plugin example's `demo` in `wasm` (the plugin itself for
/// [`Mode::Native`], the composition for [`Mode::Composed`]).
pub fn run_demo(mode: Mode, wasm: &[u8]) -> Result<Vec<String>, String> {
    let engine = Engine::default();
    let component = Component::new(&engine, wasm).map_err(|e| format!("loading the component: {e:#}"))?;
    let e = |e: wasmtime::Error| format!("{e:#}");
    match mode {
        Mode::Native => {
            let linker = native_linker(&engine)?;
            let mut store = Store::new(&engine, NativeState { redlet: RedletCtx::new(fixed_host()) });
            let p = plugin_bindings::PluginExample::instantiate(&mut store, &component, &linker).map_err(e)?;
            p.redlet_plugin_example_plugin().call_demo(&mut store).map_err(e)
        }
        Mode::Composed => {
            let linker = composed_linker(&engine)?;
            let mut store = Store::new(&engine, MemBlobs::default());
            let p = plugin_bindings::PluginExample::instantiate(&mut store, &component, &linker).map_err(e)?;
            p.redlet_plugin_example_plugin().call_demo(&mut store).map_err(e)
        }
    }
}
