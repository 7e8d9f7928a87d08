//! Generated bindings of the `redlet:engine` worlds (`wasmtime::component::bindgen!`
//! over `../wit`): `redlet` (the component: its imports are implemented by
//! this crate, its exports called by [`crate::Instance`]) and `plugin-host`
//! (what a plugin imports; implemented by [`crate::plugin`]).
#![allow(missing_docs)]

/// World `redlet:engine/redlet`: the component.
pub mod component {
    wasmtime::component::bindgen!({
        world: "redlet:engine/redlet",
        path: "../wit",
    });
}
