//! The plugin example (`examples/plugin`, built by `bash
//! examples/plugin/build.sh` to `target/plugin/plugin.wasm`) run two of
//! the three ways of issue 10 (the third, Node over `jco transpile`, is in
//! `examples/plugin/run.sh`): its imports from
//! `redlet_wasmtime::plugin::add_to_linker` (native engine), and plugged
//! into the redlet component (`target/component/redlet.wasm`). Both must
//! print `examples/plugin/transcript.txt`, byte for byte.

mod plugin_support;

use plugin_support::plugin_bindings::exports::redlet::plugin_example::plugin::{Decision, Entry};
use plugin_support::plugin_bindings::PluginExample;
use plugin_support::{Mode, NativeState};
use redlet_wasmtime::plugin::RedletCtx;
use wasmtime::component::Component;
use wasmtime::{Engine, Store};

/// The expected transcript.
fn transcript() -> String {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/plugin/transcript.txt");
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn joined(lines: Vec<String>) -> String {
    lines.into_iter().map(|l| l + "\n").collect()
}

#[test]
fn demo_over_the_native_engine() {
    let plugin = plugin_support::plugin_component().unwrap_or_else(|e| panic!("{e}"));
    let out = plugin_support::run_demo(Mode::Native, &plugin).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(joined(out), transcript());
}

#[test]
fn demo_composed_with_the_component() {
    let plugin = plugin_support::plugin_component().unwrap_or_else(|e| panic!("{e}"));
    let redlet = plugin_support::redlet_component().unwrap_or_else(|e| panic!("{e}"));
    let composed = plugin_support::compose(&plugin, &redlet).unwrap_or_else(|e| panic!("{e}"));
    let out = plugin_support::run_demo(Mode::Composed, &composed).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(joined(out), transcript());
}

/// The exported functions one by one, as a host calls them: the limiter's
/// windows and its refusal of a zero window, the leaderboard's order and
/// ranks.
#[test]
fn exported_functions() {
    let wasm = plugin_support::plugin_component().unwrap_or_else(|e| panic!("{e}"));
    let engine = Engine::default();
    let component = Component::new(&engine, wasm).expect("load the plugin");
    let linker = plugin_support::native_linker(&engine).expect("linker");
    let mut store = Store::new(&engine, NativeState { redlet: RedletCtx::new(plugin_support::fixed_host()) });
    let p = PluginExample::instantiate(&mut store, &component, &linker).expect("instantiate");
    let p = p.redlet_plugin_example_plugin();

    let mut limit = |client: &str, now: u64| p.call_rate_limit(&mut store, client, 2, 60_000, Some(now)).expect("call");
    let t = 1_800_000_000_000u64; // a window start (a multiple of 60 000)
    assert_eq!(limit("x", t), Ok(Decision { allowed: true, count: 1, remaining: 1, reset_at_ms: t + 60_000 }));
    assert_eq!(limit("x", t + 1), Ok(Decision { allowed: true, count: 2, remaining: 0, reset_at_ms: t + 60_000 }));
    assert_eq!(limit("x", t + 2), Ok(Decision { allowed: false, count: 3, remaining: 0, reset_at_ms: t + 60_000 }));
    assert_eq!(limit("y", t + 2), Ok(Decision { allowed: true, count: 1, remaining: 1, reset_at_ms: t + 60_000 }));
    assert_eq!(limit("x", t + 60_000), Ok(Decision { allowed: true, count: 1, remaining: 1, reset_at_ms: t + 120_000 }));
    let zero = p.call_rate_limit(&mut store, "x", 1, 0, None).expect("call");
    assert!(zero.is_err(), "a zero window is an error, not a division by zero: {zero:?}");

    for (player, points) in [("a", 5.0), ("b", 7.5), ("a", 3.0), ("c", -1.0)] {
        p.call_leaderboard_add(&mut store, "t", player, points).expect("call").expect("zincrby");
    }
    let top = p.call_leaderboard_top(&mut store, "t", 2).expect("call").expect("top");
    let e = |player: &str, score: f64| Entry { player: player.into(), score };
    assert_eq!(top, vec![e("a", 8.0), e("b", 7.5)]);
    assert_eq!(p.call_leaderboard_top(&mut store, "t", 0).expect("call"), Ok(vec![]));
    assert_eq!(p.call_leaderboard_rank(&mut store, "t", "c").expect("call"), Ok(Some(3)));
    assert_eq!(p.call_leaderboard_rank(&mut store, "t", "zed").expect("call"), Ok(None));
}
